"""The consent ledger: append-only, pseudonymised, withdrawals marked."""

from leadpipe.pseudonyms import keyed_hash
from leadpipe.suppression import ensure_tables
from orchestration.assets.consent import append_events

EVENTS = """
    create or replace table intermediate.int_consent_events as
    select * from (values
        ('e1', 'email', 'jean@acme.fr', 'email_marketing', 'email', 'granted', 'consent',
         'typeform', 'contactUs', null, 'https://acme.fr/contact', 'web-1',
         timestamptz '2026-01-01 10:00:00+00', 'typeform/a:1'),
        ('e2', 'email', 'jean@acme.fr', 'email_marketing', 'email', 'denied', 'consent',
         'hubspot_crm', null, null, null, null, timestamptz '2026-03-01 10:00:00+00',
         'hubspot_crm:2'),
        ('e3', 'email', 'anne@acme.fr', 'email_marketing', 'email', 'denied', 'consent',
         'tally', 'wMq1Xa', null, null, 'web-1', timestamptz '2026-03-01 10:00:00+00',
         'tally/b:3')
    ) t(consent_event_id, identifier_type, identifier, purpose, channel, status, lawful_basis,
        capture_platform, capture_form_id, capture_campaign_id, capture_url, wording_version,
        event_at, source_record_key)
"""


def test_events_are_appended_once_hashed_and_a_denial_after_a_grant_is_a_withdrawal(con):
    con.execute("create schema intermediate; create schema marts")
    con.execute(EVENTS)
    assert append_events(con) == 3
    rows = con.execute(
        "select consent_event_id, status, wording_version, capture_url "
        "from marts.consent_ledger order by 1"
    ).fetchall()
    assert rows == [
        ("e1", "granted", "web-1", "https://acme.fr/contact"),
        ("e2", "withdrawn", None, None),
        ("e3", "denied", "web-1", None),
    ]
    hashes = con.execute("select distinct identifier_hash from marts.consent_ledger").fetchall()
    assert len(hashes) == 2 and not any("@" in h for (h,) in hashes)
    assert append_events(con) == 0, "append-only: nothing twice"
    con.execute(
        "insert into intermediate.int_consent_events select 'e4', 'email', 'jean@acme.fr', "
        "'email_marketing', 'email', 'granted', 'consent', 'typeform', 'contactUs', null, null, "
        "'web-2', timestamptz '2026-06-01 10:00:00+00', 'typeform/a:4'"
    )
    assert append_events(con) == 1
    statuses = con.execute(
        "select consent_event_id, status from marts.consent_ledger order by event_at, 1"
    ).fetchall()
    assert statuses == [("e1", "granted"), ("e2", "withdrawn"), ("e3", "denied"), ("e4", "granted")]


def test_an_erased_persons_identifier_never_re_enters_the_ledger(con):
    con.execute("create schema intermediate; create schema marts")
    con.execute(EVENTS)
    ensure_tables(con)
    con.execute(
        "insert into ops.suppression_list values ('email', ?, 'erasure', now())",
        [keyed_hash("jean@acme.fr")],
    )
    assert append_events(con) == 1  # anne's only: jean's opt-out comes from a CRM that kept him
    hashes = con.execute("select identifier_hash from marts.consent_ledger").fetchall()
    assert hashes == [(keyed_hash("anne@acme.fr"),)]
