"""Sync logs in the warehouse: `ops.sync_runs` (one row per run) and `ops.sync_changelog`.

The changelog keys records by `lead_id`, never by email or phone.
"""

from collections.abc import Callable
from datetime import datetime

import duckdb
import pyarrow as pa

from leadpipe.warehouse import append_rows

DDL = (
    """
    create table if not exists ops.sync_runs (
        run_id varchar not null, sync_name varchar not null, destination varchar not null,
        started_at timestamptz not null, finished_at timestamptz not null,
        status varchar not null, rows_in_segment integer not null,
        held_back_by_consent integer not null, sent integer not null, succeeded integer not null,
        failed integer not null, message varchar,
        primary key (run_id, sync_name)
    )
    """,
    *(
        f"alter table ops.sync_runs add column if not exists {column}"
        for column in (
            "mode varchar",
            "suppressed integer",
            "invalid integer",
            "unchanged integer",
            "removed integer",
        )
    ),
    """
    create table if not exists ops.sync_changelog (
        run_id varchar not null, sync_name varchar not null, record_key varchar not null,
        operation varchar not null, status varchar not null, destination_id varchar,
        error varchar, logged_at timestamptz not null
    )
    """,
)


def record_run(
    con: duckdb.DuckDBPyConnection,
    run: dict,
    changes: list[dict],
    logged_at: datetime,
    also: Callable[[duckdb.DuckDBPyConnection], None] = lambda tx: None,
) -> None:
    """Write one run row and its per-record changelog, and whatever `also` writes (the sync
    state), in one transaction."""
    for statement in DDL:
        con.execute(statement)
    con.execute("begin transaction")
    try:
        also(con)
        columns = ", ".join(f"${name} as {name}" for name in run)
        con.execute(f"insert or replace into ops.sync_runs by name select {columns}", run)
        if changes:
            table = pa.Table.from_pylist([{**change, "logged_at": logged_at} for change in changes])
            append_rows(con, "ops.sync_changelog", table)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
