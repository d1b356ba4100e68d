"""Stand-in for the Google Ads API search on `lead_form_submission_data`.

POST /{version}/customers/{id}/googleAds:search with a GAQL query; the filter on
`lead_form_submission_data.submission_date_time` (>=, >, <, <=) is honoured; fixed pages
(10,000 rows, `page_size` here so tests can page small data) chained by `nextPageToken`.
Needs a Bearer token from the OAuth stand-in (`POST /token`, refresh-token grant) and the
`developer-token` header; errors in Google's shape (401 UNAUTHENTICATED, 400 INVALID_ARGUMENT).
"""

import re
import secrets

from sandbox.generator import SandboxData
from sandbox.standins.ordering import TimeIndex
from sandbox.standins.server import Request, Response, StandIn

SEARCH = re.compile(r"/v\d+/customers/(\d+)/googleAds:search")
CONDITION = re.compile(r"lead_form_submission_data\.submission_date_time\s*(>=|>|<=|<)\s*'([^']+)'")
DATES = re.compile(r"segments\.date BETWEEN '([\d-]+)' AND '([\d-]+)'")
PAGE_SIZE = 10_000


def _error(status: int, state: str, message: str, detail: dict | None = None) -> Response:
    error = {"code": status, "message": message, "status": state}
    if detail:
        error["details"] = [{"errors": [{"errorCode": detail, "message": message}]}]
    return Response(status, {"error": error})


class GoogleAdsStandIn(StandIn):
    def __init__(
        self,
        data: SandboxData,
        developer_token: str = "sandbox-google-developer-token",
        client_id: str = "sandbox-google-client",
        client_secret: str = "sandbox-google-secret",
        refresh_token: str = "sandbox-google-refresh-token",
        page_size: int = PAGE_SIZE,
    ):
        super().__init__(refresh_token)
        self.developer_token = developer_token
        self.client = (client_id, client_secret)
        self.page_size = page_size
        self.data = data
        self.streams = data.records("google_ads")
        self.index = TimeIndex(
            self.streams,
            lambda r: (
                r["leadFormSubmissionData"]["submissionDateTime"][:19],
                r["leadFormSubmissionData"]["id"],
            ),
        )
        self.access_tokens: set[str] = set()
        self._pages: dict[str, tuple[str, str, int]] = {}  # page token -> (customer, query, offset)

    def unauthorized(self, request: Request) -> Response | None:
        if request.path == "/token":
            return None
        if request.bearer_token() not in self.access_tokens:
            return _error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if request.headers.get("developer-token") != self.developer_token:
            return _error(
                401,
                "UNAUTHENTICATED",
                "The developer token is not valid.",
                {"authenticationError": "DEVELOPER_TOKEN_INVALID"},
            )
        return None

    def route(self, request: Request) -> Response:
        if request.path == "/token":
            return self._grant(request)
        match = SEARCH.fullmatch(request.path)
        if request.method != "POST" or not match or not isinstance(request.body, dict):
            return _error(404, "NOT_FOUND", f"No method at {request.path}")
        customer = match.group(1)
        if customer not in self.streams:
            return _error(
                403,
                "PERMISSION_DENIED",
                "The caller does not have permission",
                {"authorizationError": "USER_PERMISSION_DENIED"},
            )
        query = request.body.get("query", "")
        if "FROM campaign" in query:
            rows = self._campaign_days(customer, query)
        elif "FROM lead_form_submission_data" in query:
            rows = self._matching(customer, query)
        else:
            return _error(400, "INVALID_ARGUMENT", "stand-in: lead forms and campaign costs only")
        offset = 0
        if request.body.get("pageToken"):
            saved = self._pages.get(request.body["pageToken"])
            if saved is None or saved[:2] != (customer, query):
                return _error(
                    400,
                    "INVALID_ARGUMENT",
                    "Page token is invalid.",
                    {"requestError": "INVALID_PAGE_TOKEN"},
                )
            offset = saved[2]
        body: dict = {
            "results": rows[offset : offset + self.page_size],
            "fieldMask": "leadFormSubmissionData.id",
        }
        if offset + self.page_size < len(rows):
            token = secrets.token_urlsafe(12)
            self._pages[token] = (customer, query, offset + self.page_size)
            body["nextPageToken"] = token
        return Response(200, body)

    def _campaign_days(self, customer: str, query: str) -> list[dict]:
        between = DATES.search(query)
        first, last = between.groups() if between else ("", "9999")
        rows = self.data.records("google_ads_costs").get(customer, [])
        return sorted(
            (r for r in rows if first <= r["segments"]["date"] <= last),
            key=lambda r: (r["segments"]["date"], r["campaign"]["id"]),
        )

    def _matching(self, customer: str, query: str) -> list[dict]:
        low, high = None, None
        for operator, value in CONDITION.findall(query):
            stamp = value[:19]
            if operator == ">=":
                low = (stamp, "")
            elif operator == ">":
                low = (stamp, "\uffff")
            elif operator == "<":
                high = (stamp, "")
            else:
                high = (stamp, "\uffff")
        return self.index.between(customer, low, high)

    def _grant(self, request: Request) -> Response:
        form = request.form()
        if (
            form.get("grant_type") != "refresh_token"
            or (form.get("client_id"), form.get("client_secret")) != self.client
            or form.get("refresh_token") != self.token
        ):
            return Response(400, {"error": "invalid_grant", "error_description": "Bad Request"})
        token = secrets.token_urlsafe(16)
        self.access_tokens.add(token)
        return Response(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})
