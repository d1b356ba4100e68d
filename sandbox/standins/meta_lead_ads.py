"""Stand-in for the Meta Graph API lead retrieval endpoint: GET /{version}/{form_id}/leads.

Faithful to the real API where a client can tell: newest first, cursor paging with
`paging.cursors` and a `paging.next` URL that is absent on the last page, the
`filtering` on `time_created` (GREATER_THAN, LESS_THAN), errors as Graph error bodies (HTTP 400,
code 190 for a bad token, code 100 for an unknown object), throttling as error bodies too
(`throttled()`), and now and then an empty page that still has `next` (as Graph returns when
leads on a page are filtered out after paging).
"""

import base64
import bisect
import json
from datetime import datetime
from urllib.parse import urlencode

from sandbox.form_questions import meta_form
from sandbox.generator import SandboxData
from sandbox.standins.server import Fault, Request, Response, StandIn

GRAPH_VERSION = "v21.0"
DEFAULT_LIMIT = 25
MAX_LIMIT = 500
DEFAULT_FIELDS = "id,created_time,field_data"


def graph_error(code: int, message: str, error_type: str = "OAuthException") -> Response:
    return Response(
        400,
        {
            "error": {
                "message": message,
                "type": error_type,
                "code": code,
                "fbtrace_id": "AsandboxTraceId",
            }
        },
    )


def throttled(code: int = 17) -> Fault:
    """Graph's rate limiting: an error body with HTTP 400 or 403, never a 429."""
    usage = {"type": "LEAD_RETRIEVAL", "call_count": 100, "estimated_time_to_regain_access": 0}
    return Fault(
        403 if code == 4 else 400,
        {
            "error": {
                "message": "(#17) User request limit reached",
                "type": "OAuthException",
                "code": code,
                "error_subcode": 2446079,
                "fbtrace_id": "AsandboxTraceId",
            }
        },
        {"X-Business-Use-Case-Usage": json.dumps({"act_1": [usage]})},
    )


def _created_unix(lead: dict) -> int:
    return int(datetime.strptime(lead["created_time"], "%Y-%m-%dT%H:%M:%S%z").timestamp())


def _encode(position: tuple[int, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def _decode(cursor: str) -> tuple[int, str]:
    created, lead_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    return created, lead_id


class MetaLeadAdsStandIn(StandIn):
    def __init__(self, data: SandboxData, token: str = "sandbox-meta-token"):
        super().__init__(token)
        self.data = data
        self._sorted: dict[str, tuple[list[tuple[int, str]], list[dict]]] = {}

    @property
    def graph_url(self) -> str:
        """The base URL a client uses, API version included, like https://graph.facebook.com/v21.0."""
        return f"{self.base_url}/{GRAPH_VERSION}"

    def _oldest_first(self, form_id: str) -> tuple[list[tuple[int, str]], list[dict]]:
        """Sort keys (created unix, id) ascending and the leads in that order; cached until
        leads are added."""
        leads = self.data.meta_leads[form_id]
        cached = self._sorted.get(form_id)
        if cached is None or len(cached[1]) != len(leads):
            ordered = sorted(((_created_unix(lead), lead["id"]), lead) for lead in leads)
            cached = ([key for key, _ in ordered], [lead for _, lead in ordered])
            self._sorted[form_id] = cached
        return cached

    def _insights(self, request: Request, account: str) -> Response:
        rows = self.data.records("meta_ad_insights").get(account)
        if rows is None:
            return graph_error(
                100, f"Object with ID 'act_{account}' does not exist", "GraphMethodException"
            )
        if request.query.get("level") != "campaign" or request.query.get("time_increment") != "1":
            return graph_error(
                100, "stand-in: level=campaign and time_increment=1 only", "GraphMethodException"
            )
        time_range = json.loads(request.query.get("time_range") or "{}")
        since, until = time_range.get("since", ""), time_range.get("until", "9999")
        matching = sorted(
            (r for r in rows if since <= r["date_start"] <= until),
            key=lambda r: (r["date_start"], r["campaign_id"]),
        )
        return _insights_page(matching, request, self.base_url)

    def unauthorized(self, request: Request) -> Response | None:
        token = request.bearer_token() or request.query.get("access_token")
        if token != self.token:
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        return None

    def route(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        if len(parts) == 3 and parts[1].startswith("act_") and parts[2] == "insights":
            return self._insights(request, parts[1].removeprefix("act_"))
        if request.method == "GET" and len(parts) == 2 and parts[1] in self.data.meta_leads:
            return Response(200, meta_form(self.data, parts[1]))
        if request.method != "GET" or len(parts) != 3 or parts[2] != "leads":
            return graph_error(
                100, f"Unknown path components: {request.path}", "GraphMethodException"
            )
        form_id = parts[1]
        if form_id not in self.data.meta_leads:
            return graph_error(
                100,
                f"Unsupported get request. Object with ID '{form_id}' does not exist",
                "GraphMethodException",
            )
        limit = min(int(request.query.get("limit", DEFAULT_LIMIT)), MAX_LIMIT)
        since, until = _time_filter(request.query.get("filtering"))
        keys, leads = self._oldest_first(form_id)
        low = 0 if since is None else bisect.bisect_right(keys, (since, "\uffff"))
        high = len(keys) if until is None else bisect.bisect_left(keys, (until, ""))
        if "after" in request.query:
            after = request.query["after"]
            high = min(high, bisect.bisect_left(keys, tuple(_decode(after))))
            page_number = (len(keys) - high) // max(limit, 1)
            if "empty" not in request.query and page_number % 3 == 1:
                query = {**request.query, "empty": "served"}
                return Response(
                    200,
                    {
                        "data": [],
                        "paging": {
                            "cursors": {"before": after, "after": after},
                            "next": f"{self.base_url}{request.path}?{urlencode(query)}",
                        },
                    },
                )
        first = max(low, high - limit)
        page = [(*keys[i], leads[i]) for i in range(high - 1, first - 1, -1)]  # newest first
        rest = first > low
        paging: dict = {}
        if page:
            paging["cursors"] = {
                "before": _encode(page[0][:2]),
                "after": _encode(page[-1][:2]),
            }
        if page and rest:
            query = {k: v for k, v in request.query.items() if k not in ("after", "empty")}
            query["after"] = paging["cursors"]["after"]
            paging["next"] = f"{self.base_url}{request.path}?{urlencode(query)}"
        fields = request.query.get("fields", DEFAULT_FIELDS).split(",")
        data = [{k: v for k, v in item[2].items() if k in fields} for item in page]
        return Response(200, {"data": data, "paging": paging})


def _insights_page(rows: list[dict], request: Request, base_url: str) -> Response:
    """Campaign-day rows in the time range, oldest first, offset paging behind opaque cursors."""
    limit = min(int(request.query.get("limit", DEFAULT_LIMIT)), MAX_LIMIT)
    offset = int(_decode(request.query["after"])[0]) if "after" in request.query else 0
    page = rows[offset : offset + limit]
    paging: dict = {
        "cursors": {"before": _encode((offset, "")), "after": _encode((offset + limit, ""))}
    }
    if offset + limit < len(rows):
        query = {**request.query, "after": paging["cursors"]["after"]}
        paging["next"] = f"{base_url}{request.path}?{urlencode(query)}"
    return Response(200, {"data": page, "paging": paging})


def _time_filter(filtering: str | None) -> tuple[int | None, int | None]:
    """(strictly after, strictly before) unix times of a `filtering` on time_created."""
    bounds: dict[str, int] = {}
    for rule in json.loads(filtering or "[]"):
        if rule.get("field") == "time_created":
            bounds[rule.get("operator")] = int(rule["value"])
    return bounds.get("GREATER_THAN"), bounds.get("LESS_THAN")
