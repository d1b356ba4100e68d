from activation.destinations.hubspot import upsert_contacts
from leadpipe.http import build_session
from sandbox.standins import HubSpotStandIn


def _records(n, prefix="p"):
    return [(f"ld_{i}", {"email": f"{prefix}{i}@acme.fr", "firstname": "A"}) for i in range(n)]


def test_batches_of_at_most_100():
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = upsert_contacts(build_session(hubspot.token), hubspot.base_url, _records(250))
    assert len(hubspot.requests) == 3
    assert all(o.success and o.created for o in outcomes)
    assert len(hubspot.contacts) == 250


def test_the_same_email_twice_goes_in_separate_batches():
    records = [("ld_1", {"email": "a@acme.fr"}), ("ld_2", {"email": " A@Acme.fr "})]
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = upsert_contacts(build_session(hubspot.token), hubspot.base_url, records)
    assert [o.success for o in outcomes] == [True, True]
    assert len(hubspot.requests) == 2 and len(hubspot.contacts) == 1


def test_partial_failure_is_mapped_to_the_record_without_leaking_the_email():
    records = [*_records(3), ("ld_bad", {"email": "broken-address"})]
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = upsert_contacts(build_session(hubspot.token), hubspot.base_url, records)
    failed = [o for o in outcomes if not o.success]
    assert [o.key for o in failed] == ["ld_bad"]
    assert "not a valid email" in failed[0].error and "broken-address" not in failed[0].error
    assert sum(o.success for o in outcomes) == 3


def test_nulls_are_not_sent_over_existing_values():
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        session = build_session(hubspot.token)
        upsert_contacts(
            session, hubspot.base_url, [("ld_1", {"email": "a@acme.fr", "company": "Acme"})]
        )
        upsert_contacts(
            session, hubspot.base_url, [("ld_1", {"email": "a@acme.fr", "company": None})]
        )
    assert hubspot.contacts["a@acme.fr"]["properties"]["company"] == "Acme"


def test_rate_limited_batches_are_retried_until_delivered():
    with HubSpotStandIn(requests_per_10s=3) as hubspot:
        outcomes = upsert_contacts(build_session(hubspot.token), hubspot.base_url, _records(400))
    assert all(o.success for o in outcomes) and len(hubspot.contacts) == 400
    assert hubspot.rate_limited >= 1
