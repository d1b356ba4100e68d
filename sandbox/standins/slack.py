"""Stand-in for a Slack incoming webhook: `POST /services/T000/B000/<secret>`.

Answers `ok` as plain text; `invalid_payload` (400) without `text` or with more than 50 blocks;
`no_service` (404) on any other path; past `per_second` messages in a second, 429 with
`Retry-After: 1` (Slack allows about one message a second per webhook). `messages` keeps what
was posted.
"""

from sandbox.standins.server import Request, Response, RollingLimit, StandIn

MAX_BLOCKS = 50


class SlackStandIn(StandIn):
    def __init__(self, secret: str = "sandboxsecret", per_second: int | None = 1):
        super().__init__(secret)
        self.limit = RollingLimit(per_second, 1.0) if per_second else None
        self.messages: list[dict] = []

    @property
    def url(self) -> str:
        return f"{self.base_url}/services/T0000/B0000/{self.token}"

    @property
    def rate_limited(self) -> int:
        return self.limit.refused if self.limit else 0

    def unauthorized(self, request: Request) -> Response | None:
        if request.path != f"/services/T0000/B0000/{self.token}":
            return Response(404, "no_service", content_type="text/plain")
        return None

    def route(self, request: Request) -> Response:
        if self.limit and not self.limit.allow():
            return Response(429, "rate_limited", {"Retry-After": "1"}, "text/plain")
        body = request.body or {}
        if not body.get("text") or len(body.get("blocks") or []) > MAX_BLOCKS:
            return Response(400, "invalid_payload", content_type="text/plain")
        self.messages.append(body)
        return Response(200, "ok", content_type="text/plain")
