"""What sales did with each lead, from Salesforce Leads (the closed loop, where configured).

OAuth client credentials against the org's My Domain (`/services/oauth2/token` gives an access
token and no lifetime: it is renewed hourly, and at once when Salesforce answers 401
INVALID_SESSION_ID). One SOQL query on `LastModifiedDate` (ascending), followed through
`nextRecordsUrl` until `done`. Read per Lead: the leadpipe lead id (the external id field
`Leadpipe_Lead_Id__c` that the sync writes), status, conversion, the first task (first sales
activity), the converted opportunity (won, amount, close date), and the opt-outs
(`HasOptedOutOfEmail`, `DoNotCall`) with the email and phone they apply to.
403 REQUEST_LIMIT_EXCEEDED means the org's daily API allowance is spent: the stream stops with
that message rather than retrying.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar
from urllib.parse import urlencode

import requests

from ingestion.connector import Connector, Window, instant, secret
from leadpipe.errors import AuthError, PlatformError
from leadpipe.http import raise_for_platform
from leadpipe.oauth import RenewingToken, renewing_session

CLIENT_ID = "LEADPIPE_SALESFORCE_CLIENT_ID"
CLIENT_SECRET = "LEADPIPE_SALESFORCE_CLIENT_SECRET"
API_VERSION = "v62.0"
LEAD_ID_FIELD = "Leadpipe_Lead_Id__c"
SOQL_TIME = "%Y-%m-%dT%H:%M:%SZ"


class SessionEnded(AuthError):
    """Salesforce refused the session (expired early, or the credentials are wrong)."""


class SalesforceLeadOutcomes(Connector):
    platform = "salesforce_crm"
    label = "Salesforce"
    raw_table = "salesforce_leads"
    token_setting = CLIENT_SECRET
    default_url = "https://login.salesforce.com"  # set your My Domain URL in leadpipe.yml
    page_size = 2000  # Salesforce's own batch size
    fixed_streams: ClassVar[tuple[str, ...]] = ("leads",)

    @classmethod
    def secret_settings(cls) -> tuple[str, ...]:
        return (CLIENT_ID, CLIENT_SECRET)

    @classmethod
    def from_environment(cls, base_url=None, page_size=None, options=None) -> Connector:
        client, client_secret = (secret(name) for name in cls.secret_settings())
        url = (base_url or cls.default_url).rstrip("/")
        session = renewing_session(
            f"{url}/services/oauth2/token",
            "Salesforce",
            f"{CLIENT_ID} and {CLIENT_SECRET} (a connected app with the client credentials flow)",
            data={
                "grant_type": "client_credentials",
                "client_id": client,
                "client_secret": client_secret,
            },
        )
        return cls(session, base_url, page_size, options)

    def soql(self, window: Window) -> str:
        conditions = []
        if window.start is not None:
            conditions.append(f"LastModifiedDate >= {window.start.strftime(SOQL_TIME)}")
        if window.end is not None:
            conditions.append(f"LastModifiedDate < {window.end.strftime(SOQL_TIME)}")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return (
            f"SELECT Id, Email, Phone, Country, {LEAD_ID_FIELD}, Status, IsConverted, "
            "ConvertedDate, CreatedDate, LastModifiedDate, HasOptedOutOfEmail, DoNotCall, "
            "ConvertedOpportunity.IsWon, ConvertedOpportunity.Amount, "
            "ConvertedOpportunity.CloseDate, "
            "(SELECT CreatedDate FROM Tasks ORDER BY CreatedDate ASC LIMIT 1) "
            f"FROM Lead{where} ORDER BY LastModifiedDate ASC"
        )

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        query = urlencode({"q": self.soql(window)})
        url: str | None = f"{self.base_url}/services/data/{API_VERSION}/query?{query}"
        while url:
            body = self.get(url)
            yield body.get("records", [])
            next_url = None if body.get("done", True) else body.get("nextRecordsUrl")
            url = f"{self.base_url}{next_url}" if next_url else None

    def send(self, method: str, url: str, timeout: float = 60, **kwargs) -> requests.Response:
        try:
            return super().send(method, url, timeout, **kwargs)
        except SessionEnded:
            if not isinstance(self.session.auth, RenewingToken):
                raise
            self.session.auth.expire()  # the org ended the session early: one fresh token
            return super().send(method, url, timeout, **kwargs)

    def raise_for_status(self, response: requests.Response) -> None:
        if response.ok:
            return
        errors = response.json() if "json" in response.headers.get("Content-Type", "") else []
        code = errors[0].get("errorCode") if isinstance(errors, list) and errors else None
        if code == "REQUEST_LIMIT_EXCEEDED":
            raise PlatformError(
                "Salesforce: the org's daily API request limit is spent "
                f"({response.headers.get('Sforce-Limit-Info', 'api-usage unknown')}); the "
                "outcomes are pulled on the next run, or raise the limit in Salesforce Setup."
            )
        if response.status_code == 401:
            raise SessionEnded(
                f"Salesforce refused the session (HTTP 401 {code}): check {CLIENT_ID} and "
                f"{CLIENT_SECRET}, and the connected app's run-as user."
            )
        raise_for_platform(response, self.label, CLIENT_SECRET)

    def record_id(self, record: dict) -> str:
        return str(record["Id"])

    def captured_at(self, record: dict) -> datetime | None:
        return instant(record["LastModifiedDate"])
