"""The consent ledger: every consent event ever captured, append-only, pseudonymised.

Each event from `int_consent_events` (form checkboxes, ad form disclaimers, LinkedIn consent
answers, imports with their declared lawful basis, CRM unsubscribes and Do Not Call, each with
the wording version the person saw and, for web forms, the page it was given on) is appended
once, keyed by its event id, with the identifier replaced by its keyed hash. A denial that
follows a grant for the same identifier, purpose and channel is recorded as `withdrawn`. Rows
are never updated: the ledger is the proof of what a person agreed to, when, where and under
which lawful basis. It is written here and not by dbt so the pseudonym key never appears in
compiled SQL on disk.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from leadpipe.pseudonyms import keyed_hash_sql
from leadpipe.suppression import ensure_tables
from leadpipe.warehouse import ensure_schemas, table_exists

EVENTS = dg.AssetKey(["intermediate", "int_consent_events"])
DDL = """
    create table if not exists marts.consent_ledger (
        consent_event_id varchar primary key,
        identifier_type varchar not null,
        identifier_hash varchar not null,
        purpose varchar not null,
        channel varchar not null,
        status varchar not null,
        lawful_basis varchar,
        capture_platform varchar,
        capture_form_id varchar,
        capture_campaign_id varchar,
        capture_url varchar,
        wording_version varchar,
        event_at timestamptz,
        source_record_key varchar not null,
        recorded_at timestamptz not null
    )
"""
# ledgers created before the capture page was recorded gain the column
ADDED_COLUMNS = "alter table marts.consent_ledger add column if not exists capture_url varchar"


def append_events(con) -> int:
    """Append the events the ledger does not hold yet, none for an erased person; return how
    many."""
    ensure_schemas(con)
    ensure_tables(con)
    con.execute(DDL)
    con.execute(ADDED_COLUMNS)
    before = con.execute("select count(*) from marts.consent_ledger").fetchall()[0][0]
    con.execute(
        f"""
        insert into marts.consent_ledger by name
        with
        new_events as (
            select
                consent_event_id, identifier_type,
                {keyed_hash_sql("identifier")} as identifier_hash,
                purpose, channel, status as given, lawful_basis, capture_platform,
                capture_form_id, capture_campaign_id, capture_url, wording_version, event_at,
                source_record_key
            from intermediate.int_consent_events
            where consent_event_id not in (select consent_event_id from marts.consent_ledger)
        ),
        -- an erased person's identifiers never re-enter (a CRM may still hold them)
        kept_events as (
            select * from new_events
            where identifier_hash not in (
                select identifier_hash from ops.suppression_list where reason = 'erasure'
            )
        ),
        history as (
            select
                consent_event_id, identifier_type, identifier_hash, purpose, channel,
                case when status = 'withdrawn' then 'denied' else status end as given, event_at
            from marts.consent_ledger
            union all
            select
                consent_event_id, identifier_type, identifier_hash, purpose, channel, given,
                event_at
            from kept_events
        ),
        ordered as (
            select
                consent_event_id,
                lag(given) over (
                    partition by identifier_type, identifier_hash, purpose, channel
                    order by event_at, consent_event_id
                ) as previous
            from history
        )
        select
            new_events.* exclude (given),
            case
                when new_events.given = 'denied' and ordered.previous = 'granted'
                    then 'withdrawn'
                else new_events.given
            end as status,
            now() as recorded_at
        from new_events
        inner join ordered on new_events.consent_event_id = ordered.consent_event_id
        """
    )
    return con.execute("select count(*) from marts.consent_ledger").fetchall()[0][0] - before


@dg.asset(
    key=["marts", "consent_ledger"],
    deps=[EVENTS],
    group_name="marts",
    kinds={"duckdb"},
    description="Append-only, pseudonymised consent events: who (keyed hash) agreed or "
    "refused what, when, where and under which lawful basis; withdrawals marked.",
)
def consent_ledger(warehouse: DuckDBResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as con:
        if not table_exists(con, "intermediate", "int_consent_events"):
            return dg.MaterializeResult(metadata={"appended": 0})
        appended = append_events(con)
        total = con.execute("select count(*) from marts.consent_ledger").fetchall()[0][0]
    return dg.MaterializeResult(metadata={"appended": appended, "dagster/row_count": total})
