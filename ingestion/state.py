"""Incremental cursors per stream in `ops.ingestion_cursors`, written in the data's transaction."""

import duckdb

DDL = """
create table if not exists ops.ingestion_cursors (
    stream varchar primary key,
    cursor_value varchar not null,
    run_id varchar not null,
    updated_at timestamptz not null
)
"""


def read_cursor(con: duckdb.DuckDBPyConnection, stream: str) -> str | None:
    """The last committed cursor of a stream, or None before its first run."""
    con.execute(DDL)
    row = con.execute(
        "select cursor_value from ops.ingestion_cursors where stream = ?", [stream]
    ).fetchone()
    return row[0] if row else None


def write_cursor(con: duckdb.DuckDBPyConnection, stream: str, value: str, run_id: str) -> None:
    """Advance a stream's cursor (never backwards) inside the transaction landing its data."""
    con.execute(DDL)
    con.execute(
        """
        insert into ops.ingestion_cursors values (?, ?, ?, now())
        on conflict (stream) do update set
            cursor_value = greatest(ops.ingestion_cursors.cursor_value, excluded.cursor_value),
            run_id = excluded.run_id,
            updated_at = excluded.updated_at
        """,
        [stream, value, run_id],
    )
