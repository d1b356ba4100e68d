"""The suppression list and erasure requests: people nothing may be sent to, whatever their
consent or segment says. Both hold keyed hashes (leadpipe/pseudonyms.py), never the identifier.

An email is hashed by its match key (the form two spellings of one mailbox share), a phone by
its E.164 form, exactly as the warehouse normalises them, so a suppressed address matches
every record that carries it.
"""

from datetime import UTC, datetime

import duckdb

from enrichment.emails import enrich_email
from enrichment.phones import enrich_phone
from leadpipe.errors import LeadpipeError
from leadpipe.pseudonyms import keyed_hash

DDL = (
    """
    create table if not exists ops.suppression_list (
        identifier_type varchar not null,
        identifier_hash varchar not null,
        reason varchar not null,
        added_at timestamptz not null,
        primary key (identifier_type, identifier_hash)
    )
    """,
    """
    create table if not exists ops.erasure_requests (
        request_id varchar primary key,
        identifier_type varchar not null,
        identifier_hash varchar not null,
        requested_at timestamptz not null,
        processed_at timestamptz
    )
    """,
)
BLOCKED_SQL = """
    select identifier_type, identifier_hash from ops.suppression_list
    union
    select identifier_type, identifier_hash from ops.erasure_requests
"""


class InvalidIdentifier(LeadpipeError):
    """Neither a valid email address nor a valid phone number."""


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)


def normalise(identifier: str, default_region: str = "FR") -> tuple[str, str]:
    """(identifier type, normalised identifier) of an email address or a phone number."""
    if "@" in identifier:
        email = enrich_email(identifier)
        if email[2]:
            return "email", email[4]
    else:
        phone = enrich_phone(identifier, default_region)
        if phone[3]:
            return "phone", phone[2]
    raise InvalidIdentifier(
        "Not a valid email address or phone number (phones without a country code are read as "
        f"{default_region} numbers: add the +code)."
    )


def suppress(con: duckdb.DuckDBPyConnection, identifier: str, reason: str) -> tuple[str, str]:
    """Put an email or phone on the suppression list; return its type and keyed hash."""
    identifier_type, normalised = normalise(identifier)
    hashed = keyed_hash(normalised)
    ensure_tables(con)
    con.execute(
        "insert or ignore into ops.suppression_list values (?, ?, ?, ?)",
        [identifier_type, hashed, reason, datetime.now(UTC)],
    )
    return identifier_type, hashed
