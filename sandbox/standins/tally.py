"""Stand-in for Tally: GET /forms/{id}/submissions.

Page numbers (`page`, `limit` up to 500, default 50) with `hasMore`; `startDate` / `endDate`
(ISO) filter on `submittedAt`; every page lists the form's `questions`, and submissions answer
by `questionId`. 100 requests a minute: the 101st within a minute gets 429 with Retry-After
(`per_minute` and `window_seconds` scale the limit down for tests).
"""

from sandbox.channels.tally import questions
from sandbox.generator import SandboxData
from sandbox.standins.ordering import TimeIndex
from sandbox.standins.server import Request, Response, RollingLimit, StandIn

DEFAULT_LIMIT, MAX_LIMIT = 50, 500


class TallyStandIn(StandIn):
    def __init__(
        self,
        data: SandboxData,
        token: str = "sandbox-tally-token",
        per_minute: int = 100,
        window_seconds: float = 60,
    ):
        super().__init__(token)
        self.data = data
        self.streams = data.records("tally")
        self.index = TimeIndex(self.streams, lambda s: (s["submittedAt"][:19], s["id"]))
        self.limit = RollingLimit(per_minute, window_seconds)

    def unauthorized(self, request: Request) -> Response | None:
        if request.bearer_token() != self.token:
            return Response(401, {"message": "Unauthorized", "errorType": "UNAUTHORIZED"})
        return None

    def route(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "forms" or parts[2] != "submissions":
            return Response(404, {"message": "Not found"})
        if parts[1] not in self.streams:
            return Response(404, {"message": "Form not found", "errorType": "NOT_FOUND"})
        if not self.limit.allow():
            return Response(429, {"message": "Too many requests"}, {"Retry-After": "1"})
        limit = min(int(request.query.get("limit", DEFAULT_LIMIT)), MAX_LIMIT)
        page = max(1, int(request.query.get("page", 1)))
        start = request.query.get("startDate")
        end = request.query.get("endDate")
        matching = self.index.between(
            parts[1], (start[:19], "") if start else None, (end[:19], "") if end else None
        )
        last = len(matching) - (page - 1) * limit  # newest first: count back from the newest
        chunk = matching[max(0, last - limit) : max(0, last)][::-1]
        return Response(
            200,
            {
                "page": page,
                "limit": limit,
                "hasMore": page * limit < len(matching),
                "totalNumberOfSubmissionsPerFilter": {"all": len(matching)},
                "questions": questions(self.data, parts[1]),
                "submissions": chunk,
            },
        )
