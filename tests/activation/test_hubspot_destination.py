import pytest

from activation.destinations.base import Change
from activation.destinations.hubspot import HubSpot
from leadpipe.errors import ConfigError
from leadpipe.http import build_session
from sandbox.standins import HubSpotStandIn


def _records(n, prefix="p"):
    return [_change(f"ld_{i}", email=f"{prefix}{i}@acme.fr", firstname="A") for i in range(n)]


def _change(key, **fields):
    return Change(key, "create", fields)


def _client(hubspot):
    return HubSpot(build_session(hubspot.token), hubspot.base_url)


def test_batches_of_at_most_100():
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = _client(hubspot).upsert(_records(250))
    assert len(hubspot.requests) == 3
    assert all(o.success and o.created for o in outcomes)
    assert len(hubspot.contacts) == 250


def test_the_same_email_twice_goes_in_separate_batches():
    records = [_change("ld_1", email="a@acme.fr"), _change("ld_2", email=" A@Acme.fr ")]
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = _client(hubspot).upsert(records)
    assert [o.success for o in outcomes] == [True, True]
    assert len(hubspot.requests) == 2 and len(hubspot.contacts) == 1


def test_partial_failure_is_mapped_to_the_record_without_leaking_the_email():
    records = [*_records(3), _change("ld_bad", email="broken-address")]
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = _client(hubspot).upsert(records)
    failed = [o for o in outcomes if not o.success]
    assert [o.key for o in failed] == ["ld_bad"]
    assert "not a valid email" in failed[0].error and "broken-address" not in failed[0].error
    assert sum(o.success for o in outcomes) == 3


def test_a_batch_refused_whole_is_split_to_isolate_the_bad_record():
    records = _records(10)
    records[6].fields["favourite_colour"] = "teal"
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        outcomes = _client(hubspot).upsert(records)
    assert [o.key for o in outcomes if not o.success] == ["ld_6"]
    assert "PROPERTY_DOESNT_EXIST" in next(o.error for o in outcomes if not o.success)
    assert len(hubspot.contacts) == 9


def test_a_none_field_clears_that_property_and_only_that_one():
    # the sync engine drops None fields unless a sync asks to overwrite with nulls
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        client = _client(hubspot)
        client.upsert([_change("ld_1", email="a@acme.fr", company="Acme", jobtitle="CEO")])
        client.upsert([_change("ld_1", email="a@acme.fr", company=None)])
    properties = hubspot.contacts["a@acme.fr"]["properties"]
    assert "company" not in properties and properties["jobtitle"] == "CEO"


def test_dated_api_version_paths():
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        client = HubSpot(build_session(hubspot.token), hubspot.base_url, api_version="2026-03")
        outcomes = client.upsert(_records(2))
    assert all(o.success for o in outcomes)
    assert hubspot.requests == [("POST", "/crm/objects/2026-03/contacts/batch/upsert")]


def test_gdpr_delete_removes_the_contact_and_says_when_there_was_none():
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        client = _client(hubspot)
        client.upsert(_records(2))
        assert client.gdpr_delete(" P0@acme.fr") is True
        assert client.gdpr_delete("p0@acme.fr") is False
    assert list(hubspot.contacts) == ["p1@acme.fr"] and hubspot.gdpr_deleted == ["p0@acme.fr"]


def test_a_spent_daily_allowance_fails_the_rest_without_hammering():
    with HubSpotStandIn(requests_per_10s=None, daily_limit=2) as hubspot:
        outcomes = _client(hubspot).upsert(_records(500))
    assert sum(o.success for o in outcomes) == 200
    assert {o.error for o in outcomes if not o.success} == {
        "HubSpot's daily API allowance is spent: retried on the next run"
    }
    assert len(hubspot.requests) == 2, "stops when the header says none are left"


def test_pacing_from_the_headers_avoids_429s_and_delivers_everything():
    with HubSpotStandIn(requests_per_10s=4, window_seconds=1.0) as hubspot:
        outcomes = _client(hubspot).upsert(_records(700))
    assert all(o.success for o in outcomes) and len(hubspot.contacts) == 700
    assert hubspot.rate_limited == 0


def test_a_list_named_in_the_sync_is_created_static_once_then_found_by_name():
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        for run in range(2):
            client = HubSpot(
                build_session(hubspot.token), hubspot.base_url, list_name="Salon Lyon / 2026"
            )
            client.apply("list_membership", _records(3, prefix=f"r{run}-"), list)
        assert list(hubspot.list_names) == ["Salon Lyon / 2026"]
        members = hubspot.list_named("Salon Lyon / 2026")
    assert len(members) == 6 and len(hubspot.lists) == 1
    bodies = [path for method, path in hubspot.requests if method == "PUT"]
    assert len(bodies) == 2  # one add-and-remove per run, both fields sent


def test_an_active_list_is_refused_with_what_to_do():
    with HubSpotStandIn(requests_per_10s=None) as hubspot:
        hubspot.dynamic_lists.add("Hot leads (auto)")
        client = HubSpot(
            build_session(hubspot.token), hubspot.base_url, list_name="Hot leads (auto)"
        )
        with pytest.raises(ConfigError, match="active \\(DYNAMIC\\) list"):
            client.apply("list_membership", _records(1), list)


def test_list_changes_without_both_id_fields_are_refused_as_hubspot_does():
    with HubSpotStandIn(requests_per_10s=None, lists=["9"]) as hubspot:
        one_field = build_session(hubspot.token).put(
            f"{hubspot.base_url}/crm/v3/lists/9/memberships/add-and-remove",
            json={"recordIdsToAdd": []},
        )
    assert one_field.status_code == 400
