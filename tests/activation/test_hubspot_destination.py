from activation.destinations.hubspot import HubSpotContacts
from leadpipe.http import build_session
from sandbox.standins import HubSpotStandIn


def _records(n, prefix="p"):
    return [(f"ld_{i}", {"email": f"{prefix}{i}@acme.fr", "firstname": "A"}) for i in range(n)]


def _client(hubspot):
    return HubSpotContacts(build_session(hubspot.token), hubspot.base_url)


def test_batches_of_at_most_100():
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = _client(hubspot).upsert(_records(250))
    assert len(hubspot.requests) == 3
    assert all(o.success and o.created for o in outcomes)
    assert len(hubspot.contacts) == 250


def test_the_same_email_twice_goes_in_separate_batches():
    records = [("ld_1", {"email": "a@acme.fr"}), ("ld_2", {"email": " A@Acme.fr "})]
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = _client(hubspot).upsert(records)
    assert [o.success for o in outcomes] == [True, True]
    assert len(hubspot.requests) == 2 and len(hubspot.contacts) == 1


def test_partial_failure_is_mapped_to_the_record_without_leaking_the_email():
    records = [*_records(3), ("ld_bad", {"email": "broken-address"})]
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = _client(hubspot).upsert(records)
    failed = [o for o in outcomes if not o.success]
    assert [o.key for o in failed] == ["ld_bad"]
    assert "not a valid email" in failed[0].error and "broken-address" not in failed[0].error
    assert sum(o.success for o in outcomes) == 3


def test_a_batch_refused_whole_is_split_to_isolate_the_bad_record():
    records = _records(10)
    records[6][1]["favourite_colour"] = "teal"
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = _client(hubspot).upsert(records)
    assert [o.key for o in outcomes if not o.success] == ["ld_6"]
    assert "PROPERTY_DOESNT_EXIST" in next(o.error for o in outcomes if not o.success)
    assert len(hubspot.contacts) == 9


def test_nulls_are_not_sent_over_existing_values():
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        client = _client(hubspot)
        client.upsert([("ld_1", {"email": "a@acme.fr", "company": "Acme"})])
        client.upsert([("ld_1", {"email": "a@acme.fr", "company": None})])
    assert hubspot.contacts["a@acme.fr"]["properties"]["company"] == "Acme"


def test_pacing_from_the_headers_avoids_429s_and_delivers_everything():
    with HubSpotStandIn(requests_per_10s=4, window_seconds=1.0) as hubspot:
        outcomes = _client(hubspot).upsert(_records(700))
    assert all(o.success for o in outcomes) and len(hubspot.contacts) == 700
    assert hubspot.rate_limited == 0
