"""Raw landing: pages go to `raw.<table>` in set-based upserts, payload untouched.

Columns: `_source`, `_record_id`, the JSON `payload` as delivered, `_extracted_at` and `_run_id`
of the run that last changed it, and `_first_seen_at` (kept on re-delivery: identity uses it).
Re-delivery of the same record updates it when its payload changed and never duplicates it.

A stream is pulled into `landing.<table>` first, in batches of LANDING_BATCH records each
committed on its own, so memory does not grow with the stream; then one transaction merges it
into `raw.<table>` (the last delivery of a record wins) with the cursor. A pull that fails
leaves raw and the cursor untouched, and its staged rows are cleared by the next pull.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from ingestion.state import write_cursor

LANDING_BATCH = 5_000  # small API pages are upserted together: fewer statements, bounded memory


@dataclass
class LandingStats:
    pulled: int = 0
    pages: int = 0
    cursor: str | None = None


def ensure_raw_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    con.execute(
        f"""
        create table if not exists raw.{table} (
            _source varchar not null,
            _record_id varchar not null,
            payload json not null,
            _extracted_at timestamptz not null,
            _first_seen_at timestamptz not null,
            _run_id varchar not null,
            primary key (_source, _record_id)
        )
        """
    )


def _as_json(records: Iterable[dict]) -> pa.Array:
    """Records as compact JSON text, as delivered (non-ASCII kept)."""
    return pa.array(
        [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records], pa.string()
    )


def _ensure_landing_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    con.execute("create schema if not exists landing")
    con.execute(
        f"""
        create table if not exists landing.{table} (
            _source varchar not null,
            _record_id varchar not null,
            payload json not null,
            _delivery bigint not null
        )
        """
    )


def _stage(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: str,
    records: list[dict],
    record_id: Callable[[dict], str],
    first_delivery: int,
) -> None:
    """Append one batch to landing.<table> (committed on its own)."""
    batch = pa.table(
        {
            "_record_id": pa.array([record_id(r) for r in records], pa.string()),
            "payload": _as_json(records),
            "_delivery": pa.array(range(first_delivery, first_delivery + len(records)), pa.int64()),
        }
    )
    con.register("_landing_batch", batch)
    try:
        con.execute(
            f"insert into landing.{table} "
            "select $source, _record_id, payload::json, _delivery from _landing_batch",
            {"source": source},
        )
    finally:
        con.unregister("_landing_batch")


def _merge_staged(
    con: duckdb.DuckDBPyConnection, table: str, source: str, run_id: str, extracted_at: datetime
) -> None:
    """Upsert a stream's staged records into raw.<table>, the last delivery of each winning."""
    con.execute(
        f"""
        insert into raw.{table}
        select _source, _record_id, payload, $ts, $ts, $run_id
        from landing.{table}
        where _source = $source
        qualify row_number() over (partition by _record_id order by _delivery desc) = 1
        on conflict (_source, _record_id) do update set
            payload = excluded.payload,
            _extracted_at = excluded._extracted_at,
            _run_id = excluded._run_id
        where raw.{table}.payload::varchar <> excluded.payload::varchar
        """,
        {"ts": extracted_at, "run_id": run_id, "source": source},
    )


def land_page(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: str,
    records: list[dict],
    record_id: Callable[[dict], str] | None,
    run_id: str,
    extracted_at: datetime,
    ids: list[str] | None = None,
) -> None:
    """Upsert one page of records into raw.<table> with a single statement. `ids` gives the
    records' ids when they are not in the records (rows of an imported file)."""
    keys = ids if ids is not None else map(record_id, records)
    by_id = dict(zip(keys, records, strict=True))  # last delivery wins
    page = pa.table(
        {
            "_source": pa.array([source] * len(by_id), pa.string()),
            "_record_id": pa.array(list(by_id), pa.string()),
            "payload": _as_json(by_id.values()),
        }
    )
    con.register("_landing_page", page)
    try:
        con.execute(
            f"""
            insert into raw.{table}
            select _source, _record_id, payload::json, $ts, $ts, $run_id from _landing_page
            on conflict (_source, _record_id) do update set
                payload = excluded.payload,
                _extracted_at = excluded._extracted_at,
                _run_id = excluded._run_id
            where raw.{table}.payload::varchar <> excluded.payload::varchar
            """,
            {"ts": extracted_at, "run_id": run_id},
        )
    finally:
        con.unregister("_landing_page")


def land_stream(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: str,
    stream: str | None,
    pages: Iterable[list[dict]],
    record_id: Callable[[dict], str],
    cursor_of: Callable[[dict], str | None],
    run_id: str,
    before_commit: Callable[[datetime], None] | None = None,
) -> LandingStats:
    """Land every page and advance the stream's cursor in one transaction: all or nothing.

    The stream's cursor becomes the greatest `cursor_of(record)` seen (values must sort as
    strings); when no record carries one, or `stream` is None (a backfill), it stays.
    `before_commit(extracted_at)` lands what the records refer to (form definitions) in the
    same transaction.
    """
    ensure_raw_table(con, table)
    _ensure_landing_table(con, table)
    clear_staged = f"delete from landing.{table} where _source = ?"
    con.execute(clear_staged, [source])  # what a failed pull left
    stats = LandingStats()
    extracted_at = datetime.now(UTC)
    batch: list[dict] = []
    try:
        for page in _non_empty(pages):
            batch += page
            if len(batch) >= LANDING_BATCH:
                _stage(con, table, source, batch, record_id, stats.pulled + len(page) - len(batch))
                batch = []
            stats.pulled += len(page)
            stats.pages += 1
            marks = [m for m in map(cursor_of, page) if m]
            if marks and (stats.cursor is None or max(marks) > stats.cursor):
                stats.cursor = max(marks)
        if batch:
            _stage(con, table, source, batch, record_id, stats.pulled - len(batch))
        con.execute("begin transaction")
        try:
            _merge_staged(con, table, source, run_id, extracted_at)
            if before_commit is not None:
                before_commit(extracted_at)
            if stream is not None and stats.cursor is not None:
                write_cursor(con, stream, stats.cursor, run_id)
            con.execute(clear_staged, [source])
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.execute(clear_staged, [source])
    return stats


def _non_empty(pages: Iterable[list[dict]]) -> Iterator[list[dict]]:
    return (page for page in pages if page)
