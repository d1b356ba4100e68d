"""Diff syncs on a hand-made segment: only what changed is sent, and the dry run tells true."""

import pytest

from activation.destinations.hubspot import HubSpotContacts
from activation.plan import build_plan
from activation.sync import GateViolation, run_sync
from activation.syncs import HUBSPOT_HOT_LEADS
from leadpipe.http import build_session
from sandbox.standins import HubSpotStandIn

SEGMENT = HUBSPOT_HOT_LEADS.segment


@pytest.fixture
def warehouse(con):
    con.execute("create schema marts")
    con.execute(
        f"""
        create table {SEGMENT} as
        select
            'ld_' || i as lead_id,
            'person' || i || '@acme.fr' as email,
            'person' || i || '@acme.fr' as email_match_key,
            'Jean' as first_name, 'Dupont' as last_name, null::varchar as phone_e164,
            'Acme' as company, 'CEO' as job_title, 'FR' as country_code,
            'hot' as tier, 'A' as grade, 60 as total_score, 'Senior' as score_reasons,
            'typeform' as source_platform, 'web_form' as channel, 'typeform/x' as source,
            'granted' as consent_sales_contact,
            timestamptz '2026-11-01 10:00:00+00' as consent_sales_contact_at,
            'typeform' as consent_sales_contact_source
        from range(1, 21) t(i)
        """
    )
    con.execute(
        f"""
        create table marts.consent_current as
        select 'email' as identifier_type, email_match_key as identifier,
               'sales_contact' as purpose, 'email' as channel, 'granted' as status
        from {SEGMENT}
        """
    )
    return con


@pytest.fixture
def hubspot():
    with HubSpotStandIn(requests_per_10s=None) as standin:
        yield standin


def _sync(con, hubspot, run_id, full_resync=False):
    client = HubSpotContacts(build_session(hubspot.token), hubspot.base_url)
    return run_sync(con, HUBSPOT_HOT_LEADS, client.upsert, run_id, full_resync)


def _changelog(con, run_id):
    return dict(
        con.execute(
            "select operation, count(*) from ops.sync_changelog where run_id = ? group by 1",
            [run_id],
        ).fetchall()
    )


def test_first_run_creates_and_an_unchanged_rerun_sends_nothing(warehouse, hubspot):
    first = _sync(warehouse, hubspot, "r1")
    assert first.sent == first.succeeded == first.created == 20
    requests_before = len(hubspot.requests)
    second = _sync(warehouse, hubspot, "r2")
    assert second.sent == 0 and second.planned["unchanged"] == 20
    assert len(hubspot.requests) == requests_before


def test_only_changed_and_removed_records_are_sent(warehouse, hubspot):
    _sync(warehouse, hubspot, "r1")
    warehouse.execute(f"update {SEGMENT} set total_score = 99 where lead_id in ('ld_1', 'ld_2')")
    warehouse.execute(f"delete from {SEGMENT} where lead_id = 'ld_3'")
    report = _sync(warehouse, hubspot, "r2")
    assert report.planned["update"] == 2 and report.planned["remove"] == 1
    assert report.sent == 2
    assert hubspot.contacts["person1@acme.fr"]["properties"]["leadpipe_score"] == 99
    assert _changelog(warehouse, "r2") == {"update": 2, "remove": 1}


def test_dry_run_plan_is_what_the_real_run_does(warehouse, hubspot):
    _sync(warehouse, hubspot, "r1")
    warehouse.execute(f"update {SEGMENT} set company = 'Acme SA' where lead_id = 'ld_5'")
    warehouse.execute(f"delete from {SEGMENT} where lead_id = 'ld_6'")
    warehouse.execute(
        f"insert into {SEGMENT} by name select * replace ('ld_99' as lead_id, "
        f"'new@acme.fr' as email, 'new@acme.fr' as email_match_key) from {SEGMENT} limit 1"
    )
    warehouse.execute(
        "insert into marts.consent_current values "
        "('email', 'new@acme.fr', 'sales_contact', 'email', 'granted')"
    )
    plan = build_plan(warehouse, HUBSPOT_HOT_LEADS)
    requests_after_plan = len(hubspot.requests)
    assert requests_after_plan == 1, "a dry run sends nothing"
    report = _sync(warehouse, hubspot, "r2")
    assert report.planned == plan.counts
    logged = _changelog(warehouse, "r2")
    assert logged == {op: n for op, n in plan.counts.items() if op in logged}
    assert (plan.counts["create"], plan.counts["update"], plan.counts["remove"]) == (1, 1, 1)


def test_failed_records_are_kept_with_the_error_and_retried_next_run(warehouse, hubspot):
    hubspot.refused_emails.add("person7@acme.fr")
    first = _sync(warehouse, hubspot, "r1")
    assert first.failed == 1
    error = warehouse.execute(
        "select last_status, last_error from ops.sync_state where record_key = 'ld_7'"
    ).fetchone()
    assert error[0] == "failed" and "not a valid email" in error[1]
    hubspot.refused_emails.clear()
    second = _sync(warehouse, hubspot, "r2")
    assert second.planned["retry"] == 1 and second.sent == 1 and second.succeeded == 1
    assert "person7@acme.fr" in hubspot.contacts


def test_full_resync_sends_everything_again(warehouse, hubspot):
    _sync(warehouse, hubspot, "r1")
    report = _sync(warehouse, hubspot, "r2", full_resync=True)
    assert report.planned["update"] == 20 and report.sent == 20


def test_consent_gate_refuses_a_person_the_segment_includes(warehouse, hubspot):
    warehouse.execute(
        "update marts.consent_current set status = 'denied' where identifier = 'person4@acme.fr'"
    )
    warehouse.execute("delete from marts.consent_current where identifier = 'person5@acme.fr'")
    report = _sync(warehouse, hubspot, "r1")
    assert report.planned["held_back_by_consent"] == 2 and report.sent == 18
    assert "person4@acme.fr" not in hubspot.contacts
    assert "person5@acme.fr" not in hubspot.contacts


def test_one_violating_row_blocks_the_whole_sync(warehouse, hubspot):
    warehouse.execute(
        f"update {SEGMENT} set consent_sales_contact_at = null where lead_id = 'ld_8'"
    )
    with pytest.raises(GateViolation, match="'consent timestamp present' failed on 1 of 20"):
        _sync(warehouse, hubspot, "r1")
    assert hubspot.requests == []
    status = warehouse.execute("select status from ops.sync_runs where run_id = 'r1'").fetchone()
    assert status == ("blocked",)
    assert warehouse.execute("select count(*) from ops.sync_state").fetchone() == (0,)
