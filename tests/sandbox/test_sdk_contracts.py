"""The stand-ins held to the platforms' own Python SDKs: what the SDK sends, the stand-in
accepts; what the stand-in answers, the SDK parses. The SDKs are test-only dependencies."""

from datetime import UTC, datetime

import pytest
import requests
import simple_salesforce
import typeform.client
from facebook_business.adobjects.customaudience import CustomAudience
from facebook_business.adobjects.leadgenform import LeadgenForm
from facebook_business.api import FacebookAdsApi
from facebook_business.session import FacebookSession
from hubspot import HubSpot
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInputUpsert,
    SimplePublicObjectBatchInputUpsert,
)
from hubspot.crm.lists import ListCreateRequest, MembershipChangeRequest
from slack_sdk.webhook import WebhookClient

from activation.destinations.meta_audiences import hashed_identifiers
from sandbox.generator import Generator
from sandbox.standins import (
    HubSpotStandIn,
    MetaAudiencesStandIn,
    MetaLeadAdsStandIn,
    SalesforceStandIn,
    SlackStandIn,
    TypeformStandIn,
)

NOW = datetime(2026, 11, 20, tzinfo=UTC)


class PlainHttp(requests.adapters.HTTPAdapter):
    """Sends an https request for the local stand-in over plain http."""

    def send(self, request, **kwargs):
        request.url = request.url.replace("https://", "http://", 1)
        return super().send(request, **kwargs)


VERSION = "v21.0"


@pytest.fixture(scope="module")
def data():
    return Generator(seed=9, now=NOW).generate(120)


def test_hubspot_sdk_upserts_finds_creates_and_fills_a_list():
    with HubSpotStandIn(requests_per_10s=None) as standin:
        client = HubSpot(access_token=standin.token, host=standin.base_url)
        batch = BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[
                SimplePublicObjectBatchInputUpsert(
                    id=f"p{i}@acme.fr", id_property="email", properties={"firstname": "Ana"}
                )
                for i in range(3)
            ]
        )
        written = client.crm.contacts.batch_api.upsert(batch)
        assert written.status == "COMPLETE" and len(written.results) == 3
        created = client.crm.lists.lists_api.create(
            ListCreateRequest(name="Salon", object_type_id="0-1", processing_type="MANUAL")
        )
        list_id = created.list.list_id
        found = client.crm.lists.lists_api.get_by_name(list_name="Salon", object_type_id="0-1")
        assert found.list.list_id == list_id and found.list.processing_type == "MANUAL"
        ids = [result.id for result in written.results]
        change = MembershipChangeRequest(record_ids_to_add=ids, record_ids_to_remove=[])
        answer = client.crm.lists.memberships_api.add_and_remove(list_id, change)
        assert sorted(answer.records_ids_added) == sorted(ids)
        assert standin.lists[list_id] == set(ids)


def test_slack_sdk_posts_to_the_incoming_webhook():
    with SlackStandIn(per_second=None) as standin:
        response = WebhookClient(standin.url).send(text="Hot lead: Ana M. (Acme)")
    assert response.status_code == 200 and response.body == "ok"
    assert len(standin.messages) == 1


def test_facebook_sdk_pages_leads_and_fills_and_empties_an_audience(data, monkeypatch):
    with MetaLeadAdsStandIn(data) as leads, MetaAudiencesStandIn(audiences=["2385"]) as audience:
        monkeypatch.setattr(FacebookSession, "GRAPH", leads.base_url)
        FacebookAdsApi.init(access_token=leads.token, api_version=VERSION)
        form = next(iter(data.meta_leads))
        pulled = list(LeadgenForm(form).get_leads(params={"limit": 500}))
        assert sorted(lead["id"] for lead in pulled) == sorted(
            lead["id"] for lead in data.meta_leads[form]
        )
        assert pulled[0]["field_data"] and "created_time" in pulled[0]
        # Graph may answer an empty page that is not the last: it carries the cursors the
        # SDK pages by (the SDK's own cursor stops there; leadpipe follows `next`)
        first = next(iter(LeadgenForm(form).get_leads(params={"limit": 2})))
        assert first["id"] == pulled[0]["id"]
        monkeypatch.setattr(FacebookSession, "GRAPH", audience.base_url)
        FacebookAdsApi.init(access_token=audience.token, api_version=VERSION)
        rows = [
            hashed_identifiers({"email": f"p{i}@acme.fr", "phone_e164": None}) for i in range(4)
        ]
        schema = [CustomAudience.Schema.MultiKeySchema.email]
        target = CustomAudience("2385")
        added = target.add_users(schema, [row[:1] for row in rows], is_raw=True, pre_hashed=True)
        assert added.json()["num_received"] == 4 and len(audience.audiences["2385"]) == 4
        target.remove_users(schema, [row[:1] for row in rows[:3]], is_raw=True, pre_hashed=True)
        assert len(audience.audiences["2385"]) == 1


def test_simple_salesforce_loads_leads_with_bulk_2():
    with SalesforceStandIn() as standin:
        granted = requests.post(  # client credentials, as leadpipe asks for them
            f"{standin.base_url}/services/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=standin.client,
            timeout=10,
        ).json()
        session = requests.Session()  # the SDK speaks https only; the stand-in, plain http
        session.mount("https://127.0.0.1", PlainHttp())
        sf = simple_salesforce.Salesforce(
            instance_url=granted["instance_url"],
            session_id=granted["access_token"],
            session=session,
        )
        records = [
            {"Leadpipe_Lead_Id__c": f"ld_{i}", "LastName": "Martin", "Company": "Acme"}
            for i in range(3)
        ] + [{"Leadpipe_Lead_Id__c": "ld_bad", "LastName": "", "Company": "Acme"}]
        (job,) = sf.bulk2.Lead.upsert(
            records=records, external_id_field="Leadpipe_Lead_Id__c", wait=1
        )
        failed = sf.bulk2.Lead.get_failed_records(job["job_id"])
    assert job["numberRecordsProcessed"] == 4 and job["numberRecordsFailed"] == 1
    assert "ld_bad" in failed
    assert set(standin.upserted) >= {"ld_0", "ld_1", "ld_2"}


def test_typeform_sdk_reads_responses(data, monkeypatch):
    with TypeformStandIn(data) as standin:
        monkeypatch.setattr(typeform.client, "API_BASE_URL", standin.base_url)
        form = next(iter(data.typeform_responses))
        listed = typeform.Typeform(standin.token).responses.list(form, pageSize=1000)
    completed = [r for r in data.typeform_responses[form] if "submitted_at" in r]
    assert {item["token"] for item in listed["items"]} == {r["token"] for r in completed}
