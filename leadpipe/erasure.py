"""Erasure: forget a person everywhere in the warehouse, and keep them out afterwards.

`request_erasure` records a request (a keyed hash, never the identifier) and puts it on the
suppression list at once, so no sync sends the person meanwhile. `find_erased` finds every
record carrying an erased email or phone, widened to the whole person (every record resolved to
the same lead, under any of its past ids), and puts the person's other emails and phones on the
suppression list too. `purge` deletes those records from raw, the unified contacts, the
enrichment caches and the sync state, and `erase_consent_history` their consent ledger events;
the dbt models are then rebuilt from what remains, and `compact` rewrites the warehouse file so
no deleted byte survives in it. Records of an erased person that a later pull or import brings
back are found and purged the same way, on arrival.
`find_stale` finds the people with no activity for the retention period: they are purged the
same way, without being suppressed.
Only PII-free counts are logged (`ops.erasure_log`).
"""

import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from leadpipe.pseudonyms import keyed_hash, keyed_hash_sql
from leadpipe.suppression import ensure_tables, normalise
from leadpipe.warehouse import table_exists

ERASED_REASON = "erasure"
LOG_DDL = (
    """
    create table if not exists ops.erasure_log (
        request_id varchar,
        identifier_type varchar,
        requested_at timestamptz,
        processed_at timestamptz not null,
        leads_erased integer not null,
        records_erased integer not null,
        raw_rows_deleted integer not null,
        destinations varchar,
        compacted_at timestamptz
    )
    """,
    "alter table ops.erasure_log add column if not exists reason varchar",
    "alter table ops.erasure_log add column if not exists consent_events_deleted integer",
)
LEDGER = "marts.consent_ledger"
RETENTION_REASON = "retention"
CONTACTS = "intermediate.int_contacts_unioned"
CHECKED = "ops.erasure_checked"
CROSSWALK = "marts.lead_crosswalk"
HISTORY = "marts.lead_id_history"
# Raw tables that name a person by leadpipe's lead id (the CRM's copy of what the syncs sent),
# and by email or phone (a CRM record sales created, an opt-out).
LEAD_ID_PAYLOADS = {
    "hubspot_contacts": "$.properties.leadpipe_lead_id",
    "salesforce_leads": "$.Leadpipe_Lead_Id__c",
}
IDENTIFIER_PAYLOADS = {
    "hubspot_contacts": ("$.properties.email",),
    "salesforce_leads": ("$.Email", "$.Phone"),
}


@dataclass
class ErasedPerson:
    """What `find_erased` found: record keys, lead ids, and the raw values to purge."""

    record_keys: list[str] = field(default_factory=list)
    lead_ids: list[str] = field(default_factory=list)
    emails_raw: list[str] = field(default_factory=list)
    email_keys: list[str] = field(default_factory=list)
    phones_raw: list[str] = field(default_factory=list)
    phones_e164: list[str] = field(default_factory=list)

    def identifiers(self) -> list[str]:
        """Every email and phone of the person as typed and normalised, lowercased."""
        values = (*self.emails_raw, *self.email_keys, *self.phones_raw, *self.phones_e164)
        return sorted({value.strip().lower() for value in values})

    def identifier_hashes(self) -> list[str]:
        """The keyed hashes of the person's emails (match keys) and phones (E.164)."""
        return sorted({keyed_hash(value) for value in (*self.email_keys, *self.phones_e164)})

    def __bool__(self) -> bool:
        return bool(self.record_keys or self.lead_ids)


def request_erasure(con: duckdb.DuckDBPyConnection, identifier: str) -> str:
    """Record an erasure request for an email or phone; return its id."""
    identifier_type, normalised = normalise(identifier)
    hashed = keyed_hash(normalised)
    ensure_tables(con)
    request_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    con.execute(
        "insert into ops.erasure_requests values (?, ?, ?, ?, null)",
        [request_id, identifier_type, hashed, now],
    )
    con.execute(
        "insert or replace into ops.suppression_list values (?, ?, ?, ?)",
        [identifier_type, hashed, ERASED_REASON, now],
    )
    return request_id


def _exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    return table_exists(con, *qualified.split("."))


def find_erased(con: duckdb.DuckDBPyConnection) -> ErasedPerson:
    """Every record of every person with an erased email or phone."""
    ensure_tables(con)
    if not _exists(con, CONTACTS) or not _erased_count(con):
        return ErasedPerson()
    erased = f"""
        select identifier_type, identifier_hash from ops.erasure_requests
        union
        select identifier_type, identifier_hash from ops.suppression_list
        where reason = '{ERASED_REASON}'
    """
    con.execute(
        f"""
        create or replace temp table _carried as
        select
            contacts.source_record_key,
            contacts.email_raw,
            emails.match_key as email_key,
            contacts.phone_raw,
            phones.phone_e164
        from {CONTACTS} as contacts
        left join ops.enrichment_emails as emails on contacts.email_raw = emails.email_raw
        left join ops.enrichment_phones as phones
            on contacts.phone_raw = phones.phone_raw
            and contacts.phone_region = phones.default_region
        {_unchecked(con)}
        """
    )
    con.execute(
        f"""
        create or replace temp table _seed as
        select distinct carried.source_record_key
        from _carried as carried
        inner join ({erased}) as erased
            on (erased.identifier_type = 'email'
                and erased.identifier_hash = {keyed_hash_sql("carried.email_key")})
            or (erased.identifier_type = 'phone'
                and erased.identifier_hash = {keyed_hash_sql("carried.phone_e164")})
        """
    )
    lead_ids: list[str] = []
    if _exists(con, CROSSWALK):
        lead_ids = [
            row[0]
            for row in con.execute(
                f"select distinct lead_id from {CROSSWALK} "
                "where source_record_key in (select source_record_key from _seed)"
            ).fetchall()
        ]
        if lead_ids and _exists(con, HISTORY):
            lead_ids = sorted(
                set(lead_ids)
                | {
                    row[0]
                    for row in con.execute(
                        f"select distinct lead_id from {HISTORY} where source_record_key in "
                        f"(select source_record_key from {CROSSWALK} "
                        "where lead_id in (select unnest(?::varchar[])))",
                        [lead_ids],
                    ).fetchall()
                }
            )
        con.execute(
            f"insert into _seed select source_record_key from {CROSSWALK} "
            "where lead_id in (select unnest(?::varchar[]))",
            [lead_ids],
        )
    rows = con.execute(
        """
        select distinct source_record_key, email_raw, email_key, phone_raw, phone_e164
        from _carried where source_record_key in (select source_record_key from _seed)
        """
    ).fetchall()
    person = ErasedPerson(
        record_keys=sorted({r[0] for r in rows}),
        lead_ids=lead_ids,
        emails_raw=sorted({r[1] for r in rows if r[1]}),
        email_keys=sorted({r[2] for r in rows if r[2]}),
        phones_raw=sorted({r[3] for r in rows if r[3]}),
        phones_e164=sorted({r[4] for r in rows if r[4]}),
    )
    now = datetime.now(UTC)
    listed = [
        (identifier_type, keyed_hash(value), ERASED_REASON, now)
        for identifier_type, values in (("email", person.email_keys), ("phone", person.phones_e164))
        for value in values
    ]
    if listed:  # the person's other identifiers stay out too
        con.executemany("insert or ignore into ops.suppression_list values (?, ?, ?, ?)", listed)
    return person


def find_stale(con: duckdb.DuckDBPyConnection, retention_days: int) -> ErasedPerson:
    """Every record of the people with no activity for `retention_days` (retention purge). They
    are not suppressed: if they come back of their own accord, they are a new lead."""
    if not _exists(con, "marts.dim_leads") or not _exists(con, CROSSWALK):
        return ErasedPerson()
    rows = con.execute(
        f"""
        select crosswalk.lead_id, contacts.source_record_key, contacts.email_raw,
            emails.match_key, contacts.phone_raw, phones.phone_e164
        from marts.dim_leads as leads
        inner join {CROSSWALK} as crosswalk on leads.lead_id = crosswalk.lead_id
        inner join {CONTACTS} as contacts
            on crosswalk.source_record_key = contacts.source_record_key
        left join ops.enrichment_emails as emails on contacts.email_raw = emails.email_raw
        left join ops.enrichment_phones as phones
            on contacts.phone_raw = phones.phone_raw
            and contacts.phone_region = phones.default_region
        where greatest(leads.last_captured_at, leads.first_seen_at)
            < now() - to_days(?::integer)
        """,
        [retention_days],
    ).fetchall()
    return ErasedPerson(
        record_keys=sorted({r[1] for r in rows}),
        lead_ids=sorted({r[0] for r in rows}),
        emails_raw=sorted({r[2] for r in rows if r[2]}),
        email_keys=sorted({r[3] for r in rows if r[3]}),
        phones_raw=sorted({r[4] for r in rows if r[4]}),
        phones_e164=sorted({r[5] for r in rows if r[5]}),
    )


def _unchecked(con: duckdb.DuckDBPyConnection) -> str:
    """Which contacts to look at: all of them while a request is pending, else only those
    unified since the last pass (the records that arrived since)."""
    con.execute(f"create table if not exists {CHECKED} (checked_through timestamptz)")
    pending = con.execute(
        "select count(*) from ops.erasure_requests where processed_at is null"
    ).fetchall()[0][0]
    last = con.execute(f"select max(checked_through) from {CHECKED}").fetchall()[0][0]
    if pending or last is None:
        return ""
    return f"where contacts.batch_at > '{last.isoformat()}'::timestamptz"


def mark_checked(con: duckdb.DuckDBPyConnection) -> None:
    """Remember how far the unified contacts were checked against the erased identifiers."""
    con.execute(f"create table if not exists {CHECKED} (checked_through timestamptz)")
    if _exists(con, CONTACTS):
        con.execute(f"delete from {CHECKED}")
        con.execute(f"insert into {CHECKED} select max(batch_at) from {CONTACTS}")


def _erased_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(
        "select (select count(*) from ops.erasure_requests) + (select count(*) from "
        f"ops.suppression_list where reason = '{ERASED_REASON}')"
    ).fetchall()[0][0]


def _raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        """
        select table_name from information_schema.columns
        where table_schema = 'raw' and column_name = '_record_id'
        """
    ).fetchall()
    return sorted(row[0] for row in rows)


def purge(con: duckdb.DuckDBPyConnection, person: ErasedPerson) -> int:
    """Delete the person's records and values everywhere leadpipe keeps them; return the raw
    rows deleted. The caller rebuilds the dbt models and compacts the file afterwards."""
    deleted = 0
    keys, leads = person.record_keys, person.lead_ids
    for table in _raw_tables(con):
        before = con.execute(f"select count(*) from raw.{table}").fetchall()[0][0]
        con.execute(
            f"delete from raw.{table} where _source || ':' || _record_id "
            "in (select unnest(?::varchar[]))",
            [keys],
        )
        if table in LEAD_ID_PAYLOADS and leads:
            con.execute(
                f"delete from raw.{table} where json_extract_string(payload, ?) "
                "in (select unnest(?::varchar[]))",
                [LEAD_ID_PAYLOADS[table], leads],
            )
        for path in IDENTIFIER_PAYLOADS.get(table, ()):
            con.execute(
                f"delete from raw.{table} where lower(trim(json_extract_string(payload, ?))) "
                "in (select unnest(?::varchar[]))",
                [path, person.identifiers()],
            )
        deleted += before - con.execute(f"select count(*) from raw.{table}").fetchall()[0][0]
    con.execute(
        f"delete from {CONTACTS} where source_record_key in (select unnest(?::varchar[]))", [keys]
    )
    for table, column, values in (
        ("ops.enrichment_emails", "email_raw", person.emails_raw),
        ("ops.enrichment_emails", "match_key", person.email_keys),
        ("ops.enrichment_phones", "phone_raw", person.phones_raw),
        ("ops.enrichment_phones", "phone_e164", person.phones_e164),
        ("ops.enrichment_provider_values", "email_match_key", person.email_keys),
    ):
        if _exists(con, table):
            con.execute(
                f"delete from {table} where {column} in (select unnest(?::varchar[]))", [values]
            )
    if _exists(con, "ops.sync_state"):  # what a destination could not erase yet is kept
        con.execute(
            "delete from ops.sync_state where record_key in (select unnest(?::varchar[])) "
            "and last_status != 'erase_failed'",
            [leads],
        )
    return deleted


def erase_consent_history(con: duckdb.DuckDBPyConnection, person: ErasedPerson) -> int:
    """Delete the person's events from the consent ledger (their records' events, and any
    event on one of their identifiers, CRM opt-outs included); return how many. Erasure wins
    over keeping the proof: only the suppression list remembers them, as a keyed hash."""
    if not _exists(con, LEDGER) or not person:
        return 0
    before = con.execute(f"select count(*) from {LEDGER}").fetchall()[0][0]
    con.execute(
        f"delete from {LEDGER} where source_record_key in (select unnest(?::varchar[])) "
        "or identifier_hash in (select unnest(?::varchar[]))",
        [person.record_keys, person.identifier_hashes()],
    )
    return before - con.execute(f"select count(*) from {LEDGER}").fetchall()[0][0]


def log_erasure(
    con: duckdb.DuckDBPyConnection,
    person: ErasedPerson,
    raw_deleted: int,
    destinations: str,
    reason: str = ERASED_REASON,
    consent_events_deleted: int = 0,
) -> None:
    """Close the pending requests and write one PII-free audit row per request (or one for
    records swept on arrival, or purged for retention)."""
    for statement in LOG_DDL:
        con.execute(statement)
    now = datetime.now(UTC)
    pending = [(None, None, None)]
    if reason == ERASED_REASON:
        pending = (
            con.execute(
                "select request_id, identifier_type, requested_at from ops.erasure_requests "
                "where processed_at is null"
            ).fetchall()
            or pending
        )
    for request_id, identifier_type, requested_at in pending:
        con.execute(
            "insert into ops.erasure_log by name select ? as request_id, ? as identifier_type, "
            "? as requested_at, ? as processed_at, ? as leads_erased, ? as records_erased, "
            "? as raw_rows_deleted, ? as destinations, ? as reason, "
            "? as consent_events_deleted",
            [
                request_id,
                identifier_type,
                requested_at,
                now,
                len(person.lead_ids),
                len(person.record_keys),
                raw_deleted,
                destinations,
                reason,
                consent_events_deleted,
            ],
        )
    con.execute(
        "update ops.erasure_requests set processed_at = ? where processed_at is null", [now]
    )


def needs_compaction(con: duckdb.DuckDBPyConnection) -> bool:
    for statement in LOG_DDL:
        con.execute(statement)
    return bool(
        con.execute("select count(*) from ops.erasure_log where compacted_at is null").fetchall()[
            0
        ][0]
    )


def compact(path: Path) -> None:
    """Rewrite the warehouse file from its live rows only, so deleted values leave the disk.

    DuckDB reuses freed blocks but does not wipe them; copying the database into a new file and
    swapping it in is what guarantees an erased value is nowhere in the file. No other
    connection may be open.
    """
    fresh = path.with_name(f".{path.name}.compacting")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("update ops.erasure_log set compacted_at = now() where compacted_at is null")
        con.execute("checkpoint")
        name = con.execute("select current_database()").fetchall()[0][0]
        con.execute(f"attach '{fresh}' as compacted")
        con.execute(f'copy from database "{name}" to compacted')
        con.execute("detach compacted")
    finally:
        con.close()
    os.replace(fresh, path)
    Path(f"{path}.wal").unlink(missing_ok=True)
