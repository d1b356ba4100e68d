import requests

from sandbox.standins import HubSpotStandIn

UPSERT = "/crm/v3/objects/contacts/batch/upsert"


def _upsert(hubspot, inputs, token="sandbox-hubspot-token"):
    return requests.post(
        hubspot.base_url + UPSERT,
        json={"inputs": inputs},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def _contact(email):
    return {"id": email, "idProperty": "email", "properties": {"email": email}}


def test_hubspot_refuses_more_than_100_inputs():
    with HubSpotStandIn() as hubspot:
        response = _upsert(hubspot, [_contact(f"p{i}@acme.fr") for i in range(101)])
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert hubspot.contacts == {}


def test_hubspot_refuses_the_same_id_twice_in_a_batch():
    with HubSpotStandIn() as hubspot:
        response = _upsert(hubspot, [_contact("a@acme.fr"), _contact("A@acme.fr")])
    assert response.status_code == 400
    assert "Duplicate IDs" in response.json()["message"]


def test_hubspot_reports_invalid_records_in_a_207():
    with HubSpotStandIn() as hubspot:
        response = _upsert(hubspot, [_contact("ok@acme.fr"), _contact("not-an-email")])
    assert response.status_code == 207
    body = response.json()
    assert [r["properties"]["email"] for r in body["results"]] == ["ok@acme.fr"]
    assert body["errors"][0]["context"]["ids"] == ["not-an-email"]


def test_hubspot_rejects_a_wrong_token():
    with HubSpotStandIn() as hubspot:
        response = _upsert(hubspot, [_contact("a@acme.fr")], token="wrong")
    assert response.status_code == 401
    assert response.json()["category"] == "INVALID_AUTHENTICATION"


def test_hubspot_rate_limit_answers_429_with_headers():
    with HubSpotStandIn(requests_per_10s=2) as hubspot:
        statuses = [_upsert(hubspot, [_contact("a@acme.fr")]) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert statuses[0].headers["X-HubSpot-RateLimit-Max"] == "2"
    assert statuses[1].headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert statuses[2].json()["policyName"] == "TEN_SECONDLY_ROLLING"


def test_meta_paging_ends_when_next_is_absent(data, platforms):
    form_id = next(iter(data.meta_leads))
    url = f"{platforms.meta.graph_url}/{form_id}/leads"
    params = {"limit": 25, "access_token": platforms.meta.token}
    seen, pages = [], 0
    while url:
        body = requests.get(url, params=params, timeout=10).json()
        seen += [lead["id"] for lead in body["data"]]
        url, params, pages = body["paging"].get("next"), None, pages + 1
    assert sorted(seen) == sorted(lead["id"] for lead in data.meta_leads[form_id])
    assert pages > 2


def test_meta_bad_token_is_graph_error_190(data, platforms):
    form_id = next(iter(data.meta_leads))
    response = requests.get(
        f"{platforms.meta.graph_url}/{form_id}/leads", params={"access_token": "x"}, timeout=10
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 190


def test_typeform_since_is_inclusive(data, platforms):
    form_id, responses = next(iter(data.typeform_responses.items()))
    newest = max((r for r in responses if "submitted_at" in r), key=lambda r: r["submitted_at"])
    body = requests.get(
        f"{platforms.typeform.base_url}/forms/{form_id}/responses",
        params={"since": newest["submitted_at"], "page_size": 1000},
        headers={"Authorization": f"Bearer {platforms.typeform.token}"},
        timeout=10,
    ).json()
    assert newest["token"] in [item["token"] for item in body["items"]]


def test_typeform_serves_partial_responses_only_when_asked(data, platforms):
    form_id, responses = next(iter(data.typeform_responses.items()))

    def tokens(**params):
        body = requests.get(
            f"{platforms.typeform.base_url}/forms/{form_id}/responses",
            params={"page_size": 1000, **params},
            headers={"Authorization": f"Bearer {platforms.typeform.token}"},
            timeout=10,
        ).json()
        return {item["token"] for item in body["items"]}

    partial = {r["token"] for r in responses if "submitted_at" not in r}
    assert partial and not partial & tokens()
    assert tokens(response_type="partial") == partial
