"""When a dbt step rebuilds its incremental models from scratch.

Incremental models only process the upstream rows newer than their own (see
dbt_project/macros/incremental_batches.sql), so rows built by older models, seeds or enrichment
caches would stay as they were. leadpipe remembers, per dbt step, a fingerprint of what the
models are built from, and runs the step with `--full-refresh` when it changed, or when the
builds were forgotten (`leadpipe run --rebuild`).
"""

import hashlib
import json

import duckdb

from enrichment.cache import ENRICHERS
from orchestration.dbt_project import source_fingerprint

TABLE = "ops.dbt_builds"


def build_fingerprint(args: list[str] | None = None) -> str:
    """The dbt project's files, the enrichment caches' columns and the step's arguments (its
    vars: a changed field mapping gives every answer its new meaning), as one digest."""
    caches = {enricher.table: enricher.columns for enricher in ENRICHERS}
    inputs = json.dumps([source_fingerprint(), caches, args or []], sort_keys=True)
    return hashlib.sha256(inputs.encode()).hexdigest()


def _ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"create table if not exists {TABLE} "
        "(step varchar primary key, fingerprint varchar not null, built_at timestamptz not null)"
    )


def needs_full_refresh(con: duckdb.DuckDBPyConnection, step: str, fingerprint: str) -> bool:
    """Whether `step` last succeeded with other models or caches than `fingerprint` (or never)."""
    _ensure_table(con)
    rows = con.execute(f"select fingerprint from {TABLE} where step = ?", [step]).fetchall()
    return not rows or rows[0][0] != fingerprint


def record_build(con: duckdb.DuckDBPyConnection, step: str, fingerprint: str) -> None:
    """Remember that `step` succeeded with `fingerprint`."""
    _ensure_table(con)
    con.execute(
        f"insert or replace into {TABLE} values (?, ?, now())",
        [step, fingerprint],
    )


def forget_builds(con: duckdb.DuckDBPyConnection, step: str | None = None) -> None:
    """Make the next run of a dbt step (default: every step) a full refresh."""
    _ensure_table(con)
    if step is None:
        con.execute(f"delete from {TABLE}")
    else:
        con.execute(f"delete from {TABLE} where step = ?", [step])
