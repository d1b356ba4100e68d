"""Configuration read from the environment; every setting is in docs/CONFIGURATION.md."""

import os
from pathlib import Path

from leadpipe.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "leadpipe.duckdb"

WAREHOUSE_ENV = "LEADPIPE_WAREHOUSE"
DBT_TARGET_ENV = "LEADPIPE_DBT_TARGET"
MEMORY_LIMIT_ENV = "LEADPIPE_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "512MB"


def warehouse_path() -> Path:
    """The one warehouse file shared by dbt and Dagster, as an absolute path."""
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).expanduser().resolve()


def dbt_target_path() -> Path:
    """Where dbt writes each step's compiled SQL and results (`<path>/<step>`): the dbt
    project's `target/` unless pipelines run side by side from one checkout."""
    return Path(os.environ.get(DBT_TARGET_ENV) or DBT_PROJECT_DIR / "target").resolve()


def duckdb_config() -> dict[str, str]:
    """Settings for leadpipe's own DuckDB connections: the buffer pool is capped so memory stays
    flat however much a run lands (DuckDB spills to disk beyond it); dbt has its own profile."""
    return {"memory_limit": os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT}


def use_warehouse(path: Path | str) -> Path:
    """Point this process and every subprocess it starts (dbt) at one warehouse file."""
    resolved = Path(path).expanduser().resolve()
    resolved.parent.mkdir(parents=True, exist_ok=True)
    os.environ[WAREHOUSE_ENV] = str(resolved)
    return resolved


def split_list(value: str | None) -> list[str]:
    """A comma-separated setting as a list, blanks removed."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def require(value: str | None, setting: str, what: str) -> str:
    """Return a non-empty setting or raise one message naming it."""
    if not value:
        raise ConfigError(f"{what} is not configured: set {setting}.")
    return value
