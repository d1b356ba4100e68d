"""Google Ads lead form submissions: GAQL search on `lead_form_submission_data`.

POST /customers/{id}/googleAds:search with a query filtered on `submission_date_time` and
ordered by it; fixed pages of 10,000 rows chained by `nextPageToken`. OAuth with a refresh
token (renewed before the hour is up) plus the developer token header. Leads are kept 60 days
by Google: run at least that often.
"""

from collections.abc import Iterator
from datetime import datetime

import requests

from ingestion.connector import Connector, Window, instant, secret
from leadpipe.errors import AuthError
from leadpipe.http import raise_for_platform
from leadpipe.oauth import renewing_session

DEVELOPER_TOKEN = "LEADPIPE_GOOGLE_ADS_DEVELOPER_TOKEN"
CLIENT_ID = "LEADPIPE_GOOGLE_ADS_CLIENT_ID"
CLIENT_SECRET = "LEADPIPE_GOOGLE_ADS_CLIENT_SECRET"
REFRESH_TOKEN = "LEADPIPE_GOOGLE_ADS_REFRESH_TOKEN"
TOKEN_URL = "https://oauth2.googleapis.com/token"
STAMP = "%Y-%m-%d %H:%M:%S"
FIELDS = ", ".join(
    f"lead_form_submission_data.{name}"
    for name in (
        "resource_name",
        "id",
        "asset",
        "campaign",
        "ad_group",
        "gclid",
        "submission_date_time",
        "lead_form_submission_fields",
        "custom_lead_form_submission_fields",
    )
)


class GoogleAdsLeadForms(Connector):
    platform = "google_ads"
    label = "Google Ads"
    raw_table = "google_ads_lead_form_submissions"
    token_setting = REFRESH_TOKEN
    default_url = "https://googleads.googleapis.com/v21"
    page_size = 10_000  # fixed by the API
    streams_key = "accounts"

    @classmethod
    def secret_settings(cls) -> tuple[str, ...]:
        return (DEVELOPER_TOKEN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)

    @classmethod
    def from_environment(cls, base_url=None, page_size=None, options=None) -> Connector:
        options = options or {}
        developer, client, client_secret, refresh = (secret(n) for n in cls.secret_settings())
        session = renewing_session(
            options.get("token_url", TOKEN_URL),
            "Google",
            f"{CLIENT_ID}, {CLIENT_SECRET} and {REFRESH_TOKEN}",
            data={
                "grant_type": "refresh_token",
                "client_id": client,
                "client_secret": client_secret,
                "refresh_token": refresh,
            },
        )
        session.headers["developer-token"] = developer
        if options.get("login_customer_id"):
            session.headers["login-customer-id"] = options["login_customer_id"]
        return cls(session, base_url, page_size, options)

    def raise_for_status(self, response: requests.Response) -> None:
        if response.status_code in (401, 403):
            raise AuthError(
                f"Google Ads refused the request (HTTP {response.status_code}): check "
                f"{DEVELOPER_TOKEN} and the OAuth settings {CLIENT_ID}, {CLIENT_SECRET}, "
                f"{REFRESH_TOKEN}, and that the account is reachable (login_customer_id)."
            )
        if not response.ok:
            raise_for_platform(response, self.label, REFRESH_TOKEN)

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        conditions = []
        if window.start is not None:
            conditions.append(
                f"lead_form_submission_data.submission_date_time >= '{window.start:{STAMP}}'"
            )
        if window.end is not None:
            conditions.append(
                f"lead_form_submission_data.submission_date_time < '{window.end:{STAMP}}'"
            )
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        yield from self.search(
            stream_id,
            f"SELECT {FIELDS} FROM lead_form_submission_data{where} "
            "ORDER BY lead_form_submission_data.submission_date_time",
        )

    def search(self, customer: str, query: str) -> Iterator[list[dict]]:
        """Pages of a GAQL search, chained by `nextPageToken`."""
        body = {"query": query}
        url = f"{self.base_url}/customers/{customer}/googleAds:search"
        while True:
            page = self.send("POST", url, json=body, timeout=120).json()
            yield page.get("results", [])
            if not page.get("nextPageToken"):
                return
            body["pageToken"] = page["nextPageToken"]

    def record_id(self, record: dict) -> str:
        return str(record["leadFormSubmissionData"]["id"])

    def captured_at(self, record: dict) -> datetime | None:
        return instant(record["leadFormSubmissionData"]["submissionDateTime"])
