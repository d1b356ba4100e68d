"""The dbt project as Dagster sees it, with its manifest kept fresh."""

import shutil
import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

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


class LocalDbtCliResource(DbtCliResource):
    """The dbt CLI installed beside this Python, started without dagster-dbt's per-invocation
    overhead (about 5 s at each of the pipeline's two dbt steps): its version is the installed
    dbt-core's, read from the package metadata instead of running `dbt --version`, and no dbt
    adapter is loaded in this process, as leadpipe asks for no row counts or column schemas."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def dbt_cli() -> DbtCliResource:
    """The dbt CLI of this environment (the one installed beside this Python)."""
    return LocalDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def ensure_manifest() -> Path:
    """Parse the project when its manifest is missing or older than any model, macro or seed."""
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime():
        dbt_cli().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    return manifest
