"""The dbt project as Dagster sees it, with its manifest kept fresh."""

import hashlib
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


def _source_files() -> list[Path]:
    """The files dbt builds from: models, macros, seeds, tests and dbt_project.yml."""
    files = []
    for name in SOURCES:
        path = DBT_PROJECT_DIR / name
        files += [path] if path.is_file() else sorted(f for f in path.rglob("*") if f.is_file())
    return files


def source_fingerprint() -> str:
    """A digest of the project's files: it changes whenever what dbt builds could change."""
    digest = hashlib.sha256()
    for path in _source_files():
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
    newest = max(path.stat().st_mtime for path in _source_files())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        dbt_cli().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    return manifest
