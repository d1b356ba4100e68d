"""Incremental enrichment: enrich only values never seen before, append them to the cache.

`select distinct value from contacts where value not in cache` runs in DuckDB; Python touches
each new distinct value once; the results go back in one Arrow insert.
"""

import duckdb
import pyarrow as pa

from enrichment import emails, phones

CONTACTS = "intermediate.int_contacts_unioned"


def _append(con: duckdb.DuckDBPyConnection, table: str, columns: tuple, rows: list[tuple]) -> None:
    if not rows:
        return
    batch = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
    con.register("_enriched", batch)
    try:
        con.execute(f"insert into ops.{table} by name select * from _enriched")
    finally:
        con.unregister("_enriched")


def refresh_emails(con: duckdb.DuckDBPyConnection) -> int:
    """Enrich every new distinct raw email of the unified contacts; return how many."""
    con.execute(
        """
        create table if not exists ops.enrichment_emails (
            email_raw varchar primary key, email varchar, is_valid boolean not null,
            invalid_reason varchar, match_key varchar, domain varchar, is_free_mail boolean,
            is_disposable boolean, is_role boolean,
            enriched_at timestamptz not null default now()
        )
        """
    )
    new_values = con.execute(
        f"""
        select distinct email_raw from {CONTACTS}
        where email_raw is not null
          and email_raw not in (select email_raw from ops.enrichment_emails)
        """
    ).fetchall()
    rows = [emails.enrich_email(value) for (value,) in new_values]
    _append(con, "enrichment_emails", emails.COLUMNS, rows)
    return len(rows)


def refresh_phones(con: duckdb.DuckDBPyConnection) -> int:
    """Enrich every new distinct (raw phone, country) pair of the unified contacts."""
    con.execute(
        """
        create table if not exists ops.enrichment_phones (
            phone_raw varchar not null, default_region varchar not null, phone_e164 varchar,
            is_valid boolean not null, country_code varchar, line_type varchar,
            enriched_at timestamptz not null default now(),
            primary key (phone_raw, default_region)
        )
        """
    )
    new_values = con.execute(
        f"""
        select distinct c.phone_raw, c.phone_region
        from {CONTACTS} as c
        anti join ops.enrichment_phones as p
            on p.phone_raw = c.phone_raw and p.default_region = c.phone_region
        where c.phone_raw is not null
        """
    ).fetchall()
    rows = [phones.enrich_phone(raw, region) for raw, region in new_values]
    _append(con, "enrichment_phones", phones.COLUMNS, rows)
    return len(rows)
