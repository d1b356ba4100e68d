"""Stand-in for LinkedIn Lead Sync (GET /rest/leadFormResponses, GET /rest/leadForms/{id}) and
ad reporting (GET /rest/adAccounts/{id}, GET /rest/adAnalytics?q=analytics: daily
`costInLocalCurrency` per campaign, no paging, a `dateRange` of Rest.li dates, inclusive, and
at most 15,000 rows an answer, the rest silently cut off).

Requires `LinkedIn-Version` (400 VERSION_MISSING without it) and `X-Restli-Protocol-Version:
2.0.0`; Rest.li finder syntax `owner=(sponsoredAccount:<urn>)`, `submittedAtTimeRange=(start:ms,
end:ms)`; offset paging `start` / `count` (default 10, at most 500) with `paging.total`;
401 INVALID_ACCESS_TOKEN (tokens expire after 60 days on the real platform).
"""

import re
from urllib.parse import unquote

from sandbox.channels.ad_spend import LINKEDIN_CURRENCY
from sandbox.channels.linkedin_lead_sync import LEAD_FORMS
from sandbox.generator import SandboxData
from sandbox.standins.ordering import TimeIndex
from sandbox.standins.server import Request, Response, StandIn

OWNER = re.compile(r"\(sponsoredAccount:urn:li:sponsoredAccount:(\d+)\)")
RANGE = re.compile(r"\(start:(\d+),end:(\d+)\)")
DATE = r"\(year:(\d+),month:(\d+),day:(\d+)\)"
DATE_RANGE = re.compile(rf"\(start:{DATE},end:{DATE}\)")
ACCOUNTS = re.compile(r"List\(urn:li:sponsoredAccount:(\d+)\)")
DEFAULT_COUNT, MAX_COUNT = 10, 500


def _error(status: int, code: str, message: str) -> Response:
    return Response(status, {"status": status, "code": code, "message": message})


class LinkedInStandIn(StandIn):
    def __init__(self, data: SandboxData, token: str = "sandbox-linkedin-token"):
        super().__init__(token)
        self.streams = data.records("linkedin_lead_sync")
        self.spend = data.records("linkedin_ad_analytics")
        self.analytics_cap = 15_000  # rows in one ad analytics answer, the rest cut off
        self.index = TimeIndex(self.streams, lambda r: (r["submittedAt"], r["id"]))

    def unauthorized(self, request: Request) -> Response | None:
        if request.bearer_token() != self.token:
            return _error(401, "INVALID_ACCESS_TOKEN", "Invalid access token")
        if not request.headers.get("linkedin-version"):
            return _error(
                400, "VERSION_MISSING", "A version must be present: add LinkedIn-Version."
            )
        if request.headers.get("x-restli-protocol-version") != "2.0.0":
            return _error(400, "ILLEGAL_ARGUMENT", "Rest.li protocol 2.0.0 is required")
        return None

    def route(self, request: Request) -> Response:
        if request.path.startswith("/rest/adAccounts/"):
            account = request.path.rsplit("/", 1)[1]
            if account not in self.spend:
                return _error(404, "NOT_FOUND", "Ad account not found")
            return Response(
                200,
                {
                    "id": int(account),
                    "name": "Sandbox account",
                    "currency": LINKEDIN_CURRENCY,
                    "status": "ACTIVE",
                    "type": "BUSINESS",
                },
            )
        if request.path == "/rest/adAnalytics":
            return self._analytics(request)
        if request.path == "/rest/leadForms" and request.query.get("q") == "owner":
            owner = OWNER.fullmatch(unquote(request.query.get("owner", "")))
            if not owner or owner.group(1) not in self.streams:
                return _error(403, "ACCESS_DENIED", "Not enough permissions to access the owner")
            forms = list(LEAD_FORMS.values())
            return Response(
                200, {"elements": forms, "paging": {"start": 0, "count": 10, "total": len(forms)}}
            )
        if request.path.startswith("/rest/leadForms/"):
            form_id = request.path.rsplit("/", 1)[1]
            form = LEAD_FORMS.get(int(form_id)) if form_id.isdigit() else None
            return Response(200, form) if form else _error(404, "NOT_FOUND", "Lead form not found")
        if request.path != "/rest/leadFormResponses" or request.query.get("q") != "owner":
            return _error(404, "NOT_FOUND", f"No resource at {request.path}")
        owner = OWNER.fullmatch(unquote(request.query.get("owner", "")))
        if not owner or owner.group(1) not in self.streams:
            return _error(403, "ACCESS_DENIED", "Not enough permissions to access the owner")
        window = RANGE.fullmatch(request.query.get("submittedAtTimeRange", ""))
        low, high = (int(window.group(1)), int(window.group(2))) if window else (0, 2**63)
        records = self.index.between(owner.group(1), (low, ""), (high, ""))
        start = int(request.query.get("start", 0))
        count = min(int(request.query.get("count", DEFAULT_COUNT)), MAX_COUNT)
        return Response(
            200,
            {
                "elements": records[start : start + count],
                "paging": {"start": start, "count": count, "total": len(records), "links": []},
            },
        )

    def _analytics(self, request: Request) -> Response:
        query = request.query
        accounts = ACCOUNTS.fullmatch(unquote(query.get("accounts", "")))
        dates = DATE_RANGE.fullmatch(query.get("dateRange", ""))
        if query.get("q") != "analytics" or not accounts or not dates:
            return _error(400, "ILLEGAL_ARGUMENT", "q=analytics, accounts and dateRange needed")
        if accounts.group(1) not in self.spend:
            return _error(403, "ACCESS_DENIED", "Not enough permissions to access the account")
        y1, m1, d1, y2, m2, d2 = (int(part) for part in dates.groups())
        low, high = (y1, m1, d1), (y2, m2, d2)
        rows = [
            row
            for row in self.spend[accounts.group(1)]
            if low <= tuple(row["dateRange"]["start"].values()) <= high
        ]
        return Response(
            200,
            {
                "paging": {"start": 0, "count": 10, "links": []},
                "elements": rows[: self.analytics_cap],
            },
        )
