"""Where a person came from, when, and what they agreed to: the answer for one email or phone.

The person is the lead that the records carrying the identifier resolved to, with all their
emails and phones. Their touchpoints come from `marts.fct_touchpoints`, and their consent
history from the ledger. The ledger holds no identifier in clear, so it is looked up by the
keyed hashes of the person's identifiers. An identifier several people carry (a role inbox, a
switchboard) cannot tell which of them asks: the answer then holds only what was recorded
under that identifier itself, and says it is shared; never another person's lead, emails or
phones. Read-only: it answers an analyst or a subject access request, and writes nothing.
"""

from dataclasses import dataclass

import duckdb
import pandas as pd

from leadpipe.errors import LeadpipeError
from leadpipe.pseudonyms import keyed_hash
from leadpipe.suppression import BLOCKED_SQL, normalise
from leadpipe.warehouse import table_exists

CONTACTS = "intermediate.int_contacts_enriched"
KEY_COLUMNS = {"email": "email_match_key", "phone": "phone_e164"}
TOUCHPOINTS = """
    select captured_at, platform, channel, direction, touchpoint_type, source, campaign_name,
        first_seen_at
    from marts.fct_touchpoints
    where lead_id in (select unnest(?::varchar[]))
        and (? or source_record_key in (select unnest(?::varchar[])))
    order by captured_at, source
"""
LEDGER_COLUMNS = (
    "event_at", "identifier_hash", "purpose", "channel", "status", "lawful_basis",
    "capture_platform", "capture_form_id", "capture_campaign_id", "capture_url",
    "wording_version",
)  # fmt: skip


@dataclass
class Provenance:
    identifier_type: str
    lead_ids: list[str]
    identifiers: list[tuple[str, str]]  # (type, normalised value): every one of the person's
    touchpoints: pd.DataFrame  # one row per source record, oldest first
    consent: pd.DataFrame  # one row per ledger event, with the identifier it was given for
    suppressed: bool  # on the suppression list, or asked to be erased
    shared_by: int = 1  # people carrying the identifier: above 1, only its own records are shown


def _identifiers(con: duckdb.DuckDBPyConnection, lead_ids: list[str]) -> set[tuple[str, str]]:
    rows = con.execute(
        f"""
        select 'email', contacts.email_match_key
        from {CONTACTS} as contacts
        inner join marts.lead_crosswalk as crosswalk using (source_record_key)
        where crosswalk.lead_id in (select unnest(?::varchar[])) and contacts.email_is_valid
        union
        select 'phone', contacts.phone_e164
        from {CONTACTS} as contacts
        inner join marts.lead_crosswalk as crosswalk using (source_record_key)
        where crosswalk.lead_id in (select unnest(?::varchar[])) and contacts.phone_is_valid
        """,
        [lead_ids, lead_ids],
    ).fetchall()
    return set(rows)


def provenance(con: duckdb.DuckDBPyConnection, identifier: str) -> Provenance:
    """Everything the warehouse says about where the person came from and what they agreed to."""
    if not table_exists(con, "marts", "lead_crosswalk"):
        raise LeadpipeError("The warehouse has no leads yet: run `leadpipe run` first.")
    identifier_type, value = normalise(identifier)
    carrying = con.execute(
        f"""
        select crosswalk.lead_id, contacts.source_record_key
        from {CONTACTS} as contacts
        inner join marts.lead_crosswalk as crosswalk using (source_record_key)
        where contacts.{KEY_COLUMNS[identifier_type]} = ?
        order by 1, 2
        """,
        [value],
    ).fetchall()
    lead_ids = sorted({lead_id for lead_id, _ in carrying})
    records = [record for _, record in carrying]
    shared = len(lead_ids) > 1
    identifiers = [(identifier_type, value)]
    if not shared:
        identifiers = sorted(_identifiers(con, lead_ids) | set(identifiers))
    by_hash = {keyed_hash(normalised): (kind, normalised) for kind, normalised in identifiers}
    hashes = list(by_hash)
    consent = pd.DataFrame()
    if table_exists(con, "marts", "consent_ledger"):
        kept = con.sql("select * from marts.consent_ledger limit 0").columns
        columns = ", ".join(c for c in LEDGER_COLUMNS if c in kept)  # older ledgers have fewer
        consent = con.execute(
            f"select {columns} from marts.consent_ledger "
            "where identifier_hash in (select unnest(?::varchar[])) "
            "order by event_at, purpose, channel",
            [hashes],
        ).df()
        consent.insert(1, "identifier", consent.pop("identifier_hash").map(lambda h: by_hash[h][1]))
    blocked = (
        table_exists(con, "ops", "suppression_list")
        and con.execute(
            f"select count(*) from ({BLOCKED_SQL}) where identifier_hash in "
            "(select unnest(?::varchar[]))",
            [hashes],
        ).fetchall()[0][0]
    )
    return Provenance(
        identifier_type=identifier_type,
        lead_ids=[] if shared else lead_ids,
        identifiers=identifiers,
        touchpoints=con.execute(TOUCHPOINTS, [lead_ids, not shared, records]).df(),
        consent=consent,
        suppressed=bool(blocked),
        shared_by=len(lead_ids),
    )
