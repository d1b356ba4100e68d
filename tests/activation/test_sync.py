"""Diff syncs to the HubSpot stand-in on a small segment: only what changed is sent, each mode
does what it says, the consent gate and the suppression list win, the dry run tells true."""

import pytest

from activation.destinations.hubspot import HubSpot
from activation.plan import SyncSpec, build_plan
from activation.sync import GateViolation, run_sync
from leadpipe.http import build_session
from leadpipe.suppression import suppress
from sandbox.segment_warehouse import write_segment
from sandbox.standins import HubSpotStandIn


def _spec(mode="upsert", **changes) -> SyncSpec:
    changes.setdefault("name", f"hot_{mode}")
    return SyncSpec(
        destination="hubspot",
        segment="hot_leads_sales_contact",
        mode=mode,
        fields=HubSpot.default_fields,
        required_fields=HubSpot.required_fields,
        **changes,
    )


@pytest.fixture
def warehouse(con):
    write_segment(con, 20)
    return con


@pytest.fixture
def hubspot():
    with HubSpotStandIn(requests_per_10s=None) as standin:
        standin.lists["77"] = set()
        yield standin


def _sync(con, hubspot, run_id, spec=None, full_resync=False):
    client = HubSpot(build_session(hubspot.token), hubspot.base_url, list_id="77")
    return run_sync(con, spec or _spec(), client, run_id, full_resync)


def _changelog(con, run_id):
    return dict(
        con.execute(
            "select operation || ':' || status, count(*) from ops.sync_changelog "
            "where run_id = ? group by 1",
            [run_id],
        ).fetchall()
    )


def _leave(con, *lead_ids):
    con.execute(
        "delete from marts.segment_memberships where lead_id in (select unnest(?))",
        [list(lead_ids)],
    )


def test_first_run_creates_and_an_unchanged_rerun_sends_nothing(warehouse, hubspot):
    first = _sync(warehouse, hubspot, "r1")
    assert first.sent == first.succeeded == first.created == 20
    requests_before = len(hubspot.requests)
    second = _sync(warehouse, hubspot, "r2")
    assert second.sent == 0 and second.planned["unchanged"] == 20
    assert len(hubspot.requests) == requests_before


def test_only_changed_records_are_sent_and_upsert_leaves_those_who_left(warehouse, hubspot):
    _sync(warehouse, hubspot, "r1")
    warehouse.execute(
        "update marts.dim_leads set total_score = 99 where lead_id in ('ld_1', 'ld_2')"
    )
    _leave(warehouse, "ld_3")
    report = _sync(warehouse, hubspot, "r2")
    assert report.planned["update"] == 2 and report.planned["remove"] == 1
    assert report.sent == 2 and report.removed == 0
    assert hubspot.contacts["person1@acme.example"]["properties"]["leadpipe_score"] == 99
    assert "person3@acme.example" in hubspot.contacts, "upsert mode never deletes"
    assert _changelog(warehouse, "r2") == {"update:success": 2, "remove:skipped": 1}


def test_dry_run_plan_is_what_the_real_run_does(warehouse, hubspot):
    _sync(warehouse, hubspot, "r1")
    warehouse.execute("update marts.dim_leads set company = 'Acme SA' where lead_id = 'ld_5'")
    _leave(warehouse, "ld_6")
    warehouse.execute("update marts.dim_leads set email = null where lead_id = 'ld_7'")
    warehouse.execute(
        "update marts.consent_current set status = 'denied' "
        "where identifier = 'person8@acme.example'"
    )
    hubspot.refused_emails.add("person9@acme.example")
    warehouse.execute("update marts.dim_leads set total_score = 1 where lead_id = 'ld_9'")
    plan = build_plan(warehouse, _spec())
    assert len(hubspot.requests) == 1, "a dry run sends nothing"
    # person 8 lost consent since the last run: they leave what may be sent, as person 6 left
    expected = {"update": 2, "remove": 2, "invalid": 1, "held_back_by_consent": 1}
    assert {k: plan.counts[k] for k in expected} == expected
    report = _sync(warehouse, hubspot, "r2")
    assert report.planned == plan.counts
    assert _changelog(warehouse, "r2") == {
        "update:success": 1,
        "update:failed": 1,
        "remove:skipped": 2,
        "invalid:skipped": 1,
    }


def test_failed_records_are_kept_with_the_error_and_retried_next_run(warehouse, hubspot):
    hubspot.refused_emails.add("person7@acme.example")
    first = _sync(warehouse, hubspot, "r1")
    assert first.failed == 1
    error = warehouse.execute(
        "select last_status, last_error from ops.sync_state where record_key = 'ld_7'"
    ).fetchall()[0]
    assert error[0] == "failed" and "not a valid email" in error[1]
    assert "person7" not in error[1]
    hubspot.refused_emails.clear()
    second = _sync(warehouse, hubspot, "r2")
    assert second.planned["retry"] == 1 and second.sent == 1 and second.succeeded == 1
    assert "person7@acme.example" in hubspot.contacts


def test_full_resync_sends_everything_again(warehouse, hubspot):
    _sync(warehouse, hubspot, "r1")
    report = _sync(warehouse, hubspot, "r2", full_resync=True)
    assert report.planned["update"] == 20 and report.sent == 20


def test_consent_gate_refuses_a_person_the_segment_includes(warehouse, hubspot):
    warehouse.execute(
        "update marts.consent_current set status = 'denied' "
        "where identifier = 'person4@acme.example'"
    )
    warehouse.execute("delete from marts.consent_current where identifier = 'person5@acme.example'")
    warehouse.execute(  # consent for another purpose does not count
        "update marts.consent_current set purpose = 'email_marketing' "
        "where identifier = 'person6@acme.example'"
    )
    report = _sync(warehouse, hubspot, "r1")
    assert report.planned["held_back_by_consent"] == 3 and report.sent == 17
    for held_back in (4, 5, 6):
        assert f"person{held_back}@acme.example" not in hubspot.contacts


def test_suppression_and_erasure_requests_win_over_consent(warehouse, hubspot):
    _sync(warehouse, hubspot, "r1")
    suppress(warehouse, "Person2@ACME.example", "unsubscribed by phone")
    suppress(warehouse, "+33 6 10 00 00 03", "asked not to be called")
    warehouse.execute(  # a second address of person 4, on a record the crosswalk links
        "insert into marts.lead_crosswalk values ('tally:x', 'ld_4');"
        "insert into intermediate.int_contacts_enriched "
        "values ('tally:x', 'old4@acme.example', 'old4@acme.example', null)"
    )
    suppress(warehouse, "old4@acme.example", "erasure")
    warehouse.execute("update marts.dim_leads set total_score = 70")
    report = _sync(warehouse, hubspot, "r2")
    assert report.planned["suppressed"] == 3 and report.planned["update"] == 17
    assert report.planned["remove"] == 3
    assert hubspot.contacts["person2@acme.example"]["properties"]["leadpipe_score"] == 60
    stored = warehouse.execute("select string_agg(identifier_hash, '') from ops.suppression_list")
    assert "acme" not in stored.fetchall()[0][0], "only keyed hashes are kept"


def test_a_phone_without_its_own_consent_is_not_sent(warehouse, hubspot):
    warehouse.execute(
        "update marts.consent_current set status = 'denied' "
        "where identifier_type = 'phone' and identifier = '+33610000001'"
    )
    _sync(warehouse, hubspot, "r1")
    assert "phone" not in hubspot.contacts["person1@acme.example"]["properties"]
    assert hubspot.contacts["person2@acme.example"]["properties"]["phone"] == "+33610000002"


def test_nulls_keep_crm_values_unless_asked_to_overwrite(warehouse, hubspot):
    _sync(warehouse, hubspot, "r1")
    warehouse.execute("update marts.dim_leads set company = null where lead_id = 'ld_1'")
    _sync(warehouse, hubspot, "r2")
    assert hubspot.contacts["person1@acme.example"]["properties"]["company"] == "Acme"
    _sync(warehouse, hubspot, "r3", _spec(name="overwriting", overwrite_with_nulls=True))
    assert "company" not in hubspot.contacts["person1@acme.example"]["properties"]


def test_mirror_removes_only_the_contacts_leadpipe_created(warehouse, hubspot):
    hubspot.contacts["person1@acme.example"] = {  # created by sales before leadpipe ran
        "id": "1",
        "properties": {"email": "person1@acme.example"},
        "createdAt": "2026-01-01T00:00:00.000Z",
    }
    _sync(warehouse, hubspot, "r1", _spec("mirror"))
    _leave(warehouse, "ld_1", "ld_2")
    report = _sync(warehouse, hubspot, "r2", _spec("mirror"))
    assert report.removed == 1
    assert "person1@acme.example" in hubspot.contacts
    assert "person2@acme.example" not in hubspot.contacts
    assert _changelog(warehouse, "r2") == {"remove:success": 1, "remove:skipped": 1}
    assert _sync(warehouse, hubspot, "r3", _spec("mirror")).planned["remove"] == 0


def test_list_membership_follows_the_segment(warehouse, hubspot):
    spec = _spec("list_membership", list_id="77")
    _sync(warehouse, hubspot, "r1", spec)
    ids = {email: c["id"] for email, c in hubspot.contacts.items()}
    assert hubspot.lists["77"] == set(ids.values())
    _leave(warehouse, "ld_1")
    report = _sync(warehouse, hubspot, "r2", spec)
    assert report.removed == 1
    assert ids["person1@acme.example"] not in hubspot.lists["77"]
    assert "person1@acme.example" in hubspot.contacts, "leaving a list deletes no contact"
    warehouse.execute(
        "insert into marts.segment_memberships values "
        "('hot_leads_sales_contact', 'sales_contact', 'ld_1', true)"
    )
    _sync(warehouse, hubspot, "r3", spec)
    assert ids["person1@acme.example"] in hubspot.lists["77"]


def test_update_only_never_creates(warehouse, hubspot):
    hubspot.contacts["person1@acme.example"] = {
        "id": "1",
        "properties": {"email": "person1@acme.example"},
        "createdAt": "2026-01-01T00:00:00.000Z",
    }
    report = _sync(warehouse, hubspot, "r1", _spec("update_only"))
    assert report.succeeded == 1 and report.failed == 19
    assert list(hubspot.contacts) == ["person1@acme.example"]
    assert hubspot.contacts["person1@acme.example"]["properties"]["leadpipe_tier"] == "hot"


def test_one_violating_row_blocks_the_whole_sync(warehouse, hubspot):
    warehouse.execute(
        "update marts.consent_current set status_at = null "
        "where identifier = 'person8@acme.example'"
    )
    with pytest.raises(GateViolation, match="'consent timestamp present' failed on 1 of 20"):
        _sync(warehouse, hubspot, "r1")
    assert hubspot.requests == []
    status = warehouse.execute("select status from ops.sync_runs where run_id = 'r1'").fetchall()
    assert status == [("blocked",)]
    assert warehouse.execute("select count(*) from ops.sync_state").fetchall() == [(0,)]


def _share_inbox(con, *lead_ids, granted=True):
    """Give these leads' records one inbox, person1's, each with their own answer for it."""
    con.execute(
        "delete from marts.consent_current where identifier in "
        "(select email from marts.dim_leads where lead_id in (select unnest(?)))",
        [list(lead_ids)],
    )
    con.execute(
        "update marts.dim_leads set email = 'person1@acme.example', "
        "email_match_key = 'person1@acme.example' where lead_id in (select unnest(?))",
        [list(lead_ids)],
    )
    con.execute(
        "update intermediate.int_contacts_enriched set email = 'person1@acme.example', "
        "email_match_key = 'person1@acme.example' "
        "where source_record_key in (select 'typeform:' || unnest(?))",
        [list(lead_ids)],
    )
    con.execute(
        "update intermediate.int_consent_events set identifier = 'person1@acme.example', "
        "status = ? where identifier_type = 'email' "
        "and source_record_key in (select 'typeform:' || unnest(?))",
        ["granted" if granted else "denied", list(lead_ids)],
    )


def test_people_sharing_an_inbox_are_one_contact_sent_once(warehouse, hubspot):
    _share_inbox(warehouse, "ld_2", "ld_3")
    spec = _spec("list_membership", list_id="77")
    report = _sync(warehouse, hubspot, "r1", spec)
    assert report.failed == 0
    shared = hubspot.contacts["person1@acme.example"]
    assert shared["properties"]["leadpipe_lead_id"] == "ld_1"  # the first of them
    assert "person2@acme.example" not in hubspot.contacts  # their own records carry person1
    assert len(hubspot.lists["77"]) == 18  # 20 people, 18 inboxes
    _leave(warehouse, "ld_1")  # another of them takes the contact over: it stays on the list
    assert _sync(warehouse, hubspot, "r2", spec).failed == 0
    assert shared["id"] in hubspot.lists["77"]
    _leave(warehouse, "ld_2", "ld_3")
    assert _sync(warehouse, hubspot, "r3", spec).removed == 1
    assert shared["id"] not in hubspot.lists["77"]


def test_one_persons_grant_never_covers_another_on_a_shared_inbox(warehouse, hubspot):
    _share_inbox(warehouse, "ld_2", granted=False)  # ld_1 said yes, ld_2 no, on one inbox
    plan = build_plan(warehouse, _spec())
    sent = set(plan.rows("create")["record_key"])
    assert "ld_1" not in sent and "ld_2" not in sent and "ld_3" in sent
    assert plan.counts["held_back_by_consent"] == 2


def test_the_email_sent_is_the_one_that_carries_the_consent(warehouse, hubspot):
    warehouse.execute(  # a second record of person 5: a personal address, no consent on it
        "insert into marts.lead_crosswalk values ('zoom:x', 'ld_5');"
        "insert into intermediate.int_contacts_enriched "
        "values ('zoom:x', 'jean.perso@gmail.com', 'jean.perso@gmail.com', null);"
        "update marts.dim_leads set email = 'jean.perso@gmail.com', "
        "email_match_key = 'jean.perso@gmail.com' where lead_id = 'ld_5'"
    )
    _sync(warehouse, hubspot, "r1")
    assert hubspot.contacts["person5@acme.example"]["properties"]["leadpipe_lead_id"] == "ld_5"
    assert "jean.perso@gmail.com" not in hubspot.contacts


def test_a_withdrawn_consent_takes_the_person_off_the_list_on_the_next_run(warehouse, hubspot):
    spec = _spec("list_membership", list_id="77")
    _sync(warehouse, hubspot, "r1", spec)
    contact = hubspot.contacts["person3@acme.example"]["id"]
    warehouse.execute(
        "update marts.consent_current set status = 'withdrawn' "
        "where identifier = 'person3@acme.example'"
    )
    assert build_plan(warehouse, spec).counts["remove"] == 1
    assert _sync(warehouse, hubspot, "r2", spec).removed == 1
    assert contact not in hubspot.lists["77"] and len(hubspot.lists["77"]) == 19
