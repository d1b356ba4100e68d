"""Stand-in for Typeform's Responses API: GET /forms/{form_id}/responses.

Newest first; `page_size` up to 1000 (default 25); `since` / `until` inclusive (ISO or unix
seconds); token paging with `before` (older than that response) and `after` (newer); answers in
the real item shape; 401 AUTHENTICATION_FAILED for a bad token, 404 FORM_NOT_FOUND.
"""

from datetime import UTC, datetime

from sandbox.generator import SandboxData
from sandbox.standins.server import Request, Response, StandIn

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000


def _instant(value: str) -> datetime:
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class TypeformStandIn(StandIn):
    def __init__(self, data: SandboxData, token: str = "sandbox-typeform-token"):
        super().__init__(token)
        self.data = data

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
        items = sorted(
            self.data.typeform_responses[form_id],
            key=lambda r: (r["submitted_at"], r["token"]),
            reverse=True,
        )
        if "since" in request.query:
            since = _instant(request.query["since"])
            items = [r for r in items if _instant(r["submitted_at"]) >= since]
        if "until" in request.query:
            until = _instant(request.query["until"])
            items = [r for r in items if _instant(r["submitted_at"]) <= until]
        total = len(items)
        keys = [(r["submitted_at"], r["token"]) for r in items]
        by_token = dict(zip((r["token"] for r in items), keys, strict=True))
        if "before" in request.query and request.query["before"] in by_token:
            pivot = by_token[request.query["before"]]
            items = [r for r, key in zip(items, keys, strict=True) if key < pivot]
        if "after" in request.query and request.query["after"] in by_token:
            pivot = by_token[request.query["after"]]
            items = [r for r, key in zip(items, keys, strict=True) if key > pivot]
        page_count = max(1, -(-total // page_size))
        return Response(
            200, {"total_items": total, "page_count": page_count, "items": items[:page_size]}
        )
