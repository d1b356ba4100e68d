"""Salesforce Leads upserted on the external id: collections of 200, Bulk API 2.0 above the
threshold, per-record errors mapped back, the session renewed, the daily limit respected."""

import pytest

from activation.destinations.salesforce import EXTERNAL_ID, Salesforce
from activation.plan import SyncSpec
from activation.sync import run_sync
from leadpipe.oauth import renewing_session
from sandbox.segment_warehouse import write_segment
from sandbox.standins import SalesforceStandIn

SPEC = SyncSpec(
    name="hot_leads_salesforce",
    destination="salesforce",
    segment="hot_leads_sales_contact",
    mode="upsert",
    fields=Salesforce.default_fields,
    required_fields=Salesforce.required_fields,
)


@pytest.fixture
def salesforce():
    with SalesforceStandIn() as standin:
        yield standin


def _client(standin, bulk_threshold=2000):
    session = renewing_session(
        f"{standin.base_url}/services/oauth2/token",
        "Salesforce",
        "the client settings",
        data={
            "grant_type": "client_credentials",
            "client_id": standin.client[0],
            "client_secret": standin.client[1],
        },
    )
    return Salesforce(session, standin.base_url, bulk_threshold, poll_seconds=0.01)


def _requests(standin, part):
    return sum(part in path for _, path in standin.requests)


def test_collections_of_200_with_per_record_results(con, salesforce):
    write_segment(con, 450)
    con.execute("update marts.dim_leads set company = repeat('Acme ', 60) where lead_id = 'ld_9'")
    con.execute("update marts.dim_leads set company = null where lead_id = 'ld_10'")
    report = run_sync(con, SPEC, _client(salesforce), "r1")
    assert _requests(salesforce, "/composite/sobjects/Lead/") == 3
    assert report.succeeded == 448 and report.failed == 1 and report.created == 448
    assert report.planned["invalid"] == 1, "no Company: never sent"
    error = con.execute("select last_error from ops.sync_state where record_key = 'ld_9'")
    message = error.fetchall()[0][0]
    assert message == "STRING_TOO_LONG: Company: data value too large"
    lead = salesforce.upserted["ld_1"]
    assert lead["Email"] == "person1@acme.example" and lead["Leadpipe_Score__c"] == 60
    assert run_sync(con, SPEC, _client(salesforce), "r2").sent == 1, "only the failed one again"


def test_bulk_api_above_the_threshold(con, salesforce):
    write_segment(con, 300)
    con.execute("update marts.dim_leads set last_name = null where lead_id = 'ld_5'")
    salesforce.upserted["ld_7"] = {"Id": "00Qexisting", "Company": "Old Co"}
    client = _client(salesforce, bulk_threshold=100)
    report = run_sync(con, SPEC, client, "r1")
    assert report.planned["invalid"] == 1
    assert report.succeeded == 299 and report.created == 298
    assert salesforce.upserted["ld_7"]["Id"] == "00Qexisting"
    assert salesforce.upserted["ld_7"]["Company"] == "Acme"
    assert _requests(salesforce, "/jobs/ingest") >= 5  # create, upload, close, poll, results
    assert _requests(salesforce, "/composite/") == 0


def test_bulk_failures_are_mapped_to_their_records(con, salesforce):
    write_segment(con, 150)
    con.execute("update marts.dim_leads set job_title = repeat('x', 300) where lead_id = 'ld_3'")
    report = run_sync(con, SPEC, _client(salesforce, bulk_threshold=100), "r1")
    assert report.failed == 1
    failed = con.execute(
        "select record_key, last_error from ops.sync_state where last_status = 'failed'"
    )
    key, error = failed.fetchall()[0]
    assert key == "ld_3" and error == "STRING_TOO_LONG:Title: data value too large"


def test_an_ended_session_is_renewed_once(con, salesforce):
    write_segment(con, 5)
    client = _client(salesforce)
    run_sync(con, SPEC, client, "r1")
    salesforce.expire_sessions()
    con.execute("update marts.dim_leads set total_score = 80")
    assert run_sync(con, SPEC, client, "r2").succeeded == 5
    assert salesforce.grants == 2


def test_a_spent_daily_limit_stops_sending_and_retries_next_run(con, salesforce):
    write_segment(con, 600)
    salesforce.daily_limit = 2  # the token grant is not counted
    report = run_sync(con, SPEC, _client(salesforce), "r1")
    assert report.succeeded == 400 and report.failed == 200
    assert _requests(salesforce, "/composite/") == 3, "the refused call, then no more"
    salesforce.daily_limit = 100
    assert run_sync(con, SPEC, _client(salesforce), "r2").planned["retry"] == 200


def test_the_external_id_must_be_mapped():
    from leadpipe.config import DestinationConfig
    from leadpipe.errors import ConfigError

    spec = SyncSpec(**{**SPEC.__dict__, "fields": {"email": "Email"}})
    with pytest.raises(ConfigError, match=f"must map lead_id to {EXTERNAL_ID}"):
        Salesforce.from_settings(DestinationConfig(base_url="https://x.my.salesforce.com"), spec)


def test_erase_deletes_the_leads_and_a_lead_already_gone_counts_as_done(con, salesforce):
    from activation.destinations.base import Change

    write_segment(con, 3)
    client = _client(salesforce)
    run_sync(con, SPEC, client, "r1")
    ids = {key: lead["Id"] for key, lead in salesforce.upserted.items()}
    outcomes = client.erase(
        [Change("ld_1", "remove", {}, ids["ld_1"]), Change("ld_x", "remove", {}, "00Qgone")]
    )
    assert [o.success for o in outcomes] == [True, True]
    assert "ld_1" not in salesforce.upserted and len(salesforce.upserted) == 2
