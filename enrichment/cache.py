"""Incremental enrichment: enrich only values never seen before, append them to the cache.

`select distinct value from contacts where value not in cache` runs in DuckDB; Python touches
each new distinct value once (in a pool of processes when there are many); the results go back
in one Arrow insert. A cache whose columns no longer match its enricher is rebuilt.
"""

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from enrichment import countries, emails, job_titles, phones
from leadpipe.warehouse import append_rows

CONTACTS = "intermediate.int_contacts_unioned"
CRM_CONTACTS = "intermediate.int_crm_contacts_unioned"  # only their opt-outs need enriching
POOL_ABOVE = 50_000  # below this many new values, starting worker processes costs more
WORKERS = 2
CHUNK = 5_000


@dataclass(frozen=True)
class Enricher:
    """One cache table in `ops`: its columns (keys first), where new values come from, and the
    function turning a key into a row."""

    table: str
    columns: dict[str, str]  # column -> DuckDB type, in the enrich function's order
    keys: tuple[str, ...]
    source: str  # SQL selecting the key columns (by those names) of every contact value
    enrich: Callable[..., tuple]

    def create_sql(self) -> str:
        columns = ", ".join(f"{name} {kind}" for name, kind in self.columns.items())
        return (
            f"create table if not exists ops.{self.table} ({columns}, "
            f"enriched_at timestamptz not null default now(), primary key ({', '.join(self.keys)}))"
        )


def _typed(names: tuple[str, ...], **types: str) -> dict[str, str]:
    """Column types for an enricher's COLUMNS: varchar unless named otherwise."""
    return {name: types.get(name, "varchar") for name in names}


EMAILS = Enricher(
    table="enrichment_emails",
    columns=_typed(
        emails.COLUMNS,
        is_valid="boolean not null",
        is_free_mail="boolean",
        is_disposable="boolean",
        is_role="boolean",
    ),
    keys=("email_raw",),
    source=(
        f"select email_raw from {CONTACTS} where email_raw is not null union all "
        f"select email_raw from {CRM_CONTACTS} where email_opted_out and email_raw is not null"
    ),
    enrich=emails.enrich_email,
)
PHONES = Enricher(
    table="enrichment_phones",
    columns=_typed(phones.COLUMNS, is_valid="boolean not null"),
    keys=("phone_raw", "default_region"),
    source=(
        f"select phone_raw, phone_region as default_region from {CONTACTS} "
        "where phone_raw is not null union all "
        f"select phone_raw, phone_region from {CRM_CONTACTS} "
        "where do_not_call and phone_raw is not null"
    ),
    enrich=phones.enrich_phone,
)
COUNTRIES = Enricher(
    table="enrichment_countries",
    columns=_typed(countries.COLUMNS),
    keys=("country_raw",),
    source=f"select country_raw from {CONTACTS} where country_raw is not null",
    enrich=countries.enrich_country,
)
JOB_TITLES = Enricher(
    table="enrichment_job_titles",
    columns=_typed(job_titles.COLUMNS),
    keys=("job_title",),
    source=f"select job_title from {CONTACTS} where job_title is not null",
    enrich=job_titles.enrich_job_title,
)
ENRICHERS = (EMAILS, PHONES, COUNTRIES, JOB_TITLES)


def _ensure_table(con: duckdb.DuckDBPyConnection, enricher: Enricher) -> None:
    existing = [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'ops' and table_name = ? order by ordinal_position",
            [enricher.table],
        ).fetchall()
    ]
    if existing and existing != [*enricher.columns, "enriched_at"]:
        con.execute(f"drop table ops.{enricher.table}")  # an older enricher's shape: rebuild
    con.execute(enricher.create_sql())


def _apply(enrich: Callable[..., tuple], keys: list[tuple]) -> list[tuple]:
    return [enrich(*key) for key in keys]


def _enrich_all(enricher: Enricher, keys: list[tuple]) -> list[tuple]:
    if len(keys) < POOL_ABOVE:
        return _apply(enricher.enrich, keys)
    chunks = [keys[i : i + CHUNK] for i in range(0, len(keys), CHUNK)]
    context = multiprocessing.get_context("spawn")  # no fork of a process holding DuckDB
    with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
        results = pool.map(_apply, [enricher.enrich] * len(chunks), chunks)
        return [row for chunk in results for row in chunk]


def refresh(con: duckdb.DuckDBPyConnection, enricher: Enricher) -> int:
    """Enrich every distinct contact value the cache has never seen; return how many."""
    _ensure_table(con, enricher)
    keys = ", ".join(enricher.keys)
    new_keys = con.execute(
        f"select distinct {keys} from ({enricher.source}) anti join ops.{enricher.table} "
        f"using ({keys})"
    ).fetchall()
    rows = _enrich_all(enricher, new_keys)
    if rows:
        columns = list(enricher.columns)
        batch = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
        append_rows(con, f"ops.{enricher.table}", batch)
    return len(rows)
