"""The suppression list and erasure requests: people nothing may be sent to, whatever their
consent or segment says. Both hold keyed hashes (leadpipe/pseudonyms.py), never the identifier.

An email is hashed by its match key (the form two spellings of one mailbox share), a phone by
its E.164 form, exactly as the warehouse normalises them, so a suppressed address matches
every record that carries it.
"""

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from openpyxl import load_workbook

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


def suppress_file(
    con: duckdb.DuckDBPyConnection, path: Path, reason: str
) -> tuple[dict[str, int], list[int]]:
    """Suppress every email and phone in a CSV or Excel file (any column, any case, any phone
    format), in one transaction. Returns the count per identifier type and the numbers of the
    rows in which no cell is an email or a phone (a first such row is taken as the header)."""
    found: dict[tuple[str, str], None] = {}
    unreadable = []
    for number, cells in enumerate(_file_rows(path), start=1):
        row = {normalise_or_none(cell) for cell in cells if cell.strip()} - {None}
        if row:
            found.update(dict.fromkeys(row))
        elif number > 1 and any(cell.strip() for cell in cells):
            unreadable.append(number)
    ensure_tables(con)
    now = datetime.now(UTC)
    con.execute("begin")
    try:
        con.executemany(
            "insert or ignore into ops.suppression_list values (?, ?, ?, ?)",
            [[kind, keyed_hash(value), reason, now] for kind, value in found],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    counts = {"email": 0, "phone": 0}
    for kind, _ in found:
        counts[kind] += 1
    return counts, unreadable


def normalise_or_none(identifier: str) -> tuple[str, str] | None:
    """`normalise`, or None for anything that is neither an email nor a phone."""
    try:
        return normalise(identifier.strip())
    except InvalidIdentifier:
        return None


def _file_rows(path: Path) -> Iterator[list[str]]:
    """Each row of a CSV (UTF-8, UTF-16 or Latin-1; comma, semicolon or tab) or Excel file, as
    text cells."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    yield ["" if cell is None else str(cell) for cell in row]
        finally:
            workbook.close()
        return
    text = _decode(path.read_bytes())
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
