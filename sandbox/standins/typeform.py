"""Stand-in for Typeform's Responses API: GET /forms/{form_id}/responses.

Newest first; `page_size` up to 1000 (default 25); `since` / `until` inclusive (ISO or unix
seconds) on `submitted_at`; token paging with `before` (older than that response) and `after`
(newer); answers in the real item shape; 401 AUTHENTICATION_FAILED for a bad token, 404
FORM_NOT_FOUND. `response_type` defaults to completed; `partial` returns the responses left
half-way (no `submitted_at`), newest `landed_at` first, which the time filters do not apply to.
(The real API also mixes both types in one request; this stand-in serves one type at a time.)
"""

import bisect
from datetime import UTC, datetime

from sandbox.form_questions import typeform_form
from sandbox.generator import SandboxData
from sandbox.standins.server import Request, Response, StandIn

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000


def _instant(value: str) -> datetime:
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _stamp(value: str) -> str:
    """A `since` / `until` value in the sortable form of `submitted_at`."""
    return _instant(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TypeformStandIn(StandIn):
    def __init__(self, data: SandboxData, token: str = "sandbox-typeform-token"):
        super().__init__(token)
        self.data = data
        self._sorted: dict[tuple[str, str], tuple] = {}

    def _oldest_first(self, form_id: str, response_type: str):
        """Sort keys (submitted_at or landed_at, token) ascending, the responses of that type
        in that order and each token's key; cached until responses are added."""
        responses = self.data.typeform_responses[form_id]
        cached = self._sorted.get((form_id, response_type))
        if cached is None or cached[3] != len(responses):
            partial = response_type == "partial"
            ordered = sorted(
                ((r.get("submitted_at") or r["landed_at"], r["token"]), r)
                for r in responses
                if ("submitted_at" not in r) == partial
            )
            keys = [key for key, _ in ordered]
            cached = (keys, [r for _, r in ordered], {key[1]: key for key in keys}, len(responses))
            self._sorted[(form_id, response_type)] = cached
        return cached

    def unauthorized(self, request: Request) -> Response | None:
        if request.bearer_token() != self.token:
            return Response(
                401,
                {
                    "code": "AUTHENTICATION_FAILED",
                    "description": "Authentication credentials not found on the Request Headers",
                },
            )
        return None

    def route(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        if request.method == "GET" and len(parts) == 2 and parts[0] == "forms":
            if parts[1] not in self.data.typeform_responses:
                return Response(404, {"code": "FORM_NOT_FOUND", "description": "Form not found"})
            return Response(200, typeform_form(self.data, parts[1]))
        if (
            request.method != "GET"
            or len(parts) != 3
            or parts[0] != "forms"
            or parts[2] != "responses"
        ):
            return Response(404, {"code": "NOT_FOUND", "description": "Endpoint not found"})
        form_id = parts[1]
        if form_id not in self.data.typeform_responses:
            return Response(404, {"code": "FORM_NOT_FOUND", "description": "Form not found"})
        page_size = int(request.query.get("page_size", DEFAULT_PAGE_SIZE))
        if page_size > MAX_PAGE_SIZE:
            return Response(
                400, {"code": "VALIDATION_ERROR", "description": "page_size must be <= 1000"}
            )
        response_type = request.query.get("response_type", "completed")
        if response_type not in ("completed", "partial"):
            return Response(
                400, {"code": "VALIDATION_ERROR", "description": "stand-in: one response_type"}
            )
        keys, items, key_of, _ = self._oldest_first(form_id, response_type)
        low, high = 0, len(keys)
        filtered = response_type == "completed"
        if filtered and "since" in request.query:
            low = bisect.bisect_left(keys, (_stamp(request.query["since"]), ""))
        if filtered and "until" in request.query:
            high = bisect.bisect_right(keys, (_stamp(request.query["until"]), "\uffff"))
        total = max(0, high - low)
        if request.query.get("before") in key_of:
            high = min(high, bisect.bisect_left(keys, key_of[request.query["before"]]))
        if request.query.get("after") in key_of:
            low = max(low, bisect.bisect_right(keys, key_of[request.query["after"]]))
        first = max(low, high - page_size)
        page = [items[i] for i in range(high - 1, first - 1, -1)]  # newest first
        page_count = max(1, -(-total // page_size))
        return Response(200, {"total_items": total, "page_count": page_count, "items": page})
