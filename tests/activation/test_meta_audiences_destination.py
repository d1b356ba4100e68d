"""Meta Custom Audiences: hashed identifiers only, 10,000 per call, adds and removes follow the
segment, each identifier only with its own consent, throttling waited out."""

import hashlib
import json

import pytest

from activation.destinations.meta_audiences import MetaAudiences, hashed_identifiers
from activation.plan import SyncSpec
from activation.sync import run_sync
from leadpipe.http import build_session
from sandbox.segment_warehouse import write_segment
from sandbox.standins import MetaAudiencesStandIn
from sandbox.standins.meta_lead_ads import throttled

SPEC = SyncSpec(
    name="nurture_audience",
    destination="meta_audiences",
    segment="warm_leads_nurture",
    mode="list_membership",
    fields=MetaAudiences.default_fields,
    gate_on="any",
    list_id="23850000000001",
)


def _sha(value):
    return hashlib.sha256(value.encode()).hexdigest()


@pytest.fixture
def warehouse(con):
    write_segment(con, 30, segment="warm_leads_nurture", purpose="email_marketing")
    return con


@pytest.fixture
def meta():
    with MetaAudiencesStandIn(audiences=[SPEC.list_id]) as standin:
        yield standin


def _sync(con, meta, run_id):
    client = MetaAudiences(build_session(meta.token), meta.graph_url, SPEC.list_id, backoff=0.01)
    return run_sync(con, SPEC, client, run_id), client


def test_identifiers_are_normalised_then_hashed():
    assert hashed_identifiers(
        {"email": "  Jean.Dupont@Acme.FR ", "phone": "+33 6 12 34 56 78"}
    ) == [
        _sha("jean.dupont@acme.fr"),
        _sha("33612345678"),
    ]
    assert hashed_identifiers({"email": "a@b.fr"})[1] == ""


def test_adds_removes_and_changes_follow_the_segment(warehouse, meta):
    report, client = _sync(warehouse, meta, "r1")
    audience = meta.audiences[SPEC.list_id]
    assert report.succeeded == 30 and len(audience) == 30 and client.requests == 1
    assert (_sha("person1@acme.example"), _sha("33610000001")) in audience
    assert meta.invalid_entries == 0, "only hashes leave"
    warehouse.execute("delete from marts.segment_memberships where lead_id = 'ld_1'")
    warehouse.execute(
        "update marts.dim_leads set email = 'new2@acme.example', "
        "email_match_key = 'new2@acme.example' where lead_id = 'ld_2'"
    )
    warehouse.execute(
        "update marts.consent_current set identifier = 'new2@acme.example' "
        "where identifier = 'person2@acme.example'"
    )
    report, _ = _sync(warehouse, meta, "r2")
    assert report.removed == 1 and report.succeeded == 2
    assert (_sha("person1@acme.example"), _sha("33610000001")) not in audience
    assert (_sha("person2@acme.example"), _sha("33610000002")) not in audience
    assert (_sha("new2@acme.example"), _sha("33610000002")) in audience
    assert len(audience) == 29
    _, client = _sync(warehouse, meta, "r3")
    assert client.requests == 0


def test_each_identifier_goes_only_with_its_own_consent(warehouse, meta):
    warehouse.execute(
        "update marts.consent_current set status = 'denied' "
        "where identifier in ('person3@acme.example', '+33610000004')"
    )
    warehouse.execute(
        "update marts.consent_current set status = 'denied' where identifier_type = 'phone' "
        "and identifier = '+33610000005'"
    )
    warehouse.execute(
        "delete from marts.consent_current where identifier in "
        "('person5@acme.example', 'person6@acme.example', '+33610000006')"
    )
    report, _ = _sync(warehouse, meta, "r1")
    audience = meta.audiences[SPEC.list_id]
    assert report.planned["held_back_by_consent"] == 2  # persons 5 and 6: nothing consented
    assert ("", _sha("33610000003")) in audience  # email refused: the phone alone
    assert (_sha("person4@acme.example"), "") in audience  # phone refused: the email alone
    state = warehouse.execute(
        "select destination_id from ops.sync_state where record_key = 'ld_3'"
    ).fetchall()[0][0]
    assert json.loads(state) == ["", _sha("33610000003")]


def test_batches_of_at_most_10000_and_throttling_is_waited_out(con):
    write_segment(con, 25_000, segment="warm_leads_nurture", purpose="email_marketing")
    with MetaAudiencesStandIn(audiences=[SPEC.list_id]) as meta:
        meta.faults.extend([None, throttled(80003), throttled(17)])  # the 2nd call, twice
        report, client = _sync(con, meta, "r1")
        assert report.succeeded == 25_000 and len(meta.audiences[SPEC.list_id]) == 25_000
        assert client.requests == 5  # 3 calls of at most 10,000, the second one tried 3 times


def test_erase_takes_out_exactly_what_was_added(warehouse, meta):
    from activation.destinations.base import Change

    _, client = _sync(warehouse, meta, "r1")
    added = warehouse.execute(
        "select destination_id from ops.sync_state where record_key = 'ld_4'"
    ).fetchall()[0][0]
    [outcome] = client.erase([Change("ld_4", "remove", {}, added)])
    assert outcome.success
    assert tuple(json.loads(added)) not in meta.audiences[SPEC.list_id]
    assert len(meta.audiences[SPEC.list_id]) == 29
