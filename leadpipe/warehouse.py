"""The DuckDB warehouse: one file, its schemas, and how to open it."""

from pathlib import Path

import duckdb
import pyarrow as pa

from leadpipe.settings import duckdb_config

SCHEMAS = ("raw", "ops", "quarantine")


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file, creating it and its pipeline schemas when writable."""
    path = Path(path)
    if read_only:
        return duckdb.connect(str(path), read_only=True, config=duckdb_config())
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), config=duckdb_config())
    ensure_schemas(con)
    return con


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Create the pipeline's own schemas (raw, ops, quarantine) if they are missing."""
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether schema.table exists in the connected warehouse."""
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def append_rows(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """Insert an Arrow table into `table` in one statement, matching columns by name."""
    con.register("_appended_rows", rows)
    try:
        con.execute(f"insert into {table} by name select * from _appended_rows")
    finally:
        con.unregister("_appended_rows")


def quarantine_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Records in quarantine per reason code, most frequent first (empty before the first
    build)."""
    if not table_exists(con, "quarantine", "quarantined_contacts"):
        return {}
    return dict(
        con.execute(
            "select quarantine_reason, count(*) from quarantine.quarantined_contacts "
            "group by 1 order by 2 desc, 1"
        ).fetchall()
    )
