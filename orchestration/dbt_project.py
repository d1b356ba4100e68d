"""The dbt project as Dagster sees it, with its manifest kept fresh."""

import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from leadpipe.settings import DBT_PROJECT_DIR

DBT_EXECUTABLE = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
SOURCES = ("models", "macros", "seeds", "tests", "dbt_project.yml")


def _newest_source_mtime() -> float:
    newest = 0.0
    for name in SOURCES:
        path = DBT_PROJECT_DIR / name
        files = [path] if path.is_file() else path.rglob("*")
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest


def dbt_cli() -> DbtCliResource:
    """The dbt CLI of this environment (the one installed beside this Python)."""
    return DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def ensure_manifest() -> Path:
    """Parse the project when its manifest is missing or older than any model, macro or seed."""
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime():
        dbt_cli().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    return manifest
