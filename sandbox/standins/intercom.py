"""Stand-in for Intercom: POST /contacts/search and POST /conversations/search.

The query is one filter or an AND group of filters on `updated_at` (`>`, `<`) and `role` (`=`).
Contact search compares timestamps by UTC day only, as the real one does: `> t` matches from
the day after t's day, `< t` up to the start of t's day. Results sorted by `updated_at`. Paging
is in the body (`pagination.per_page`, at most 150, and `pagination.starting_after`); a
`starting_after` in the query string is ignored, so a naive client gets page one again. A fixed
window of `per_window` requests every `window_seconds` (10,000 a minute, in 10-second windows,
on the real platform) announced in `X-RateLimit-Limit / -Remaining / -Reset` (unix seconds);
past it, 429 with no Retry-After.
"""

import math
import secrets
import time

from sandbox.generator import SandboxData
from sandbox.standins.server import Request, Response, StandIn

DEFAULT_PER_PAGE, MAX_PER_PAGE = 50, 150
DAY_SECONDS = 86_400
SEARCHES = {
    "/contacts/search": "intercom_contacts",
    "/conversations/search": "intercom_conversations",
}


def _errors(status: int, code: str, message: str) -> Response:
    body = {"type": "error.list", "request_id": secrets.token_hex(8)}
    return Response(status, {**body, "errors": [{"code": code, "message": message}]})


def _day_start(stamp: int) -> int:
    return stamp - stamp % DAY_SECONDS


class IntercomStandIn(StandIn):
    def __init__(
        self,
        data: SandboxData,
        token: str = "sandbox-intercom-token",
        per_window: int = 1666,
        window_seconds: int = 10,
    ):
        super().__init__(token)
        self.data = data
        self.per_window = per_window
        self.window_seconds = window_seconds
        self.rate_limited = 0
        self._window = (0, 0)  # (window number, requests in it)
        self._cursors: dict[str, int] = {}

    def unauthorized(self, request: Request) -> Response | None:
        if request.bearer_token() != self.token:
            return _errors(401, "unauthorized", "Access Token Invalid")
        return None

    def route(self, request: Request) -> Response:
        platform = SEARCHES.get(request.path)
        if request.method != "POST" or platform is None:
            return _errors(404, "not_found", "Resource Not Found")
        allowed, headers = self._count_request()
        if not allowed:
            return Response(
                429,
                _errors(429, "rate_limit_exceeded", "Exceeded rate limit").body,
                headers,
            )
        body = request.body if isinstance(request.body, dict) else {}
        pagination = body.get("pagination") or {}
        per_page = int(pagination.get("per_page", DEFAULT_PER_PAGE))
        if per_page > MAX_PER_PAGE:
            return _errors(400, "parameter_invalid", "per_page must be at most 150")
        try:
            matching = self._matching(platform, body.get("query") or {})
        except ValueError as error:
            return _errors(400, "query_invalid", str(error))
        offset = self._cursors.get(pagination.get("starting_after", ""), 0)
        page = matching[offset : offset + per_page]
        pages: dict = {
            "type": "pages",
            "page": offset // per_page + 1,
            "per_page": per_page,
            "total_pages": math.ceil(len(matching) / per_page),
        }
        if offset + per_page < len(matching):
            cursor = secrets.token_urlsafe(18)
            self._cursors[cursor] = offset + per_page
            pages["next"] = {"page": pages["page"] + 1, "starting_after": cursor}
        key = "data" if platform == "intercom_contacts" else "conversations"
        kind = "list" if platform == "intercom_contacts" else "conversation.list"
        return Response(
            200, {"type": kind, key: page, "total_count": len(matching), "pages": pages}, headers
        )

    def _matching(self, platform: str, query: dict) -> list[dict]:
        filters = query.get("value") if query.get("operator") in ("AND", "OR") else [query]
        day_granular = platform == "intercom_contacts"
        low, high, role = -math.inf, math.inf, None
        for rule in filters:
            field, operator, value = rule.get("field"), rule.get("operator"), rule.get("value")
            if field == "role" and operator == "=":
                role = value
            elif field == "updated_at" and operator == ">":
                low = _day_start(int(value)) + DAY_SECONDS if day_granular else int(value) + 1
            elif field == "updated_at" and operator == "<":
                high = _day_start(int(value)) if day_granular else int(value)
            else:
                raise ValueError(f"Unsupported filter {field} {operator}")
        records = [
            r
            for stream in self.data.records(platform).values()
            for r in stream
            if low <= r["updated_at"] < high and (role is None or r.get("role") == role)
        ]
        return sorted(records, key=lambda r: (r["updated_at"], r["id"]))

    def _count_request(self) -> tuple[bool, dict[str, str]]:
        with self._lock:
            number = int(time.time() // self.window_seconds)
            used = self._window[1] + 1 if self._window[0] == number else 1
            self._window = (number, used)
        allowed = used <= self.per_window
        if not allowed:
            self.rate_limited += 1
        reset = (number + 1) * self.window_seconds
        return allowed, {
            "X-RateLimit-Limit": str(self.per_window),
            "X-RateLimit-Remaining": str(max(0, self.per_window - used)),
            "X-RateLimit-Reset": str(reset),
        }
