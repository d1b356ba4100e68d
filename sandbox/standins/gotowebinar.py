"""Stand-in for GoToWebinar: OAuth refresh-token grant, registrants, sessions and attendees.

`POST /oauth/token` (form `grant_type=refresh_token&refresh_token=..`, Basic client credentials)
issues access tokens living `token_seconds`. Under `/G2W/rest/v2/organizers/{organizer}/
webinars/{webinar}`: `registrants` answers one unpaged array without `page` / `limit`, and
`{data, total, page, limit, pageSize}` with them (`limit` at most 200); `sessions` lists the
webinar's hourly sessions; `sessions/{key}/attendees` is an unpaged array. More than
`per_second` requests in a second get 429 without Retry-After, as on the real platform.
"""

import secrets
import time
from datetime import timedelta

from sandbox.channels.gotowebinar import session_start
from sandbox.generator import SandboxData
from sandbox.standins.server import Request, Response, RollingLimit, StandIn

MAX_LIMIT = 200
PREFIX = "/G2W/rest/v2/organizers/"
STAMP = "%Y-%m-%dT%H:%M:%SZ"


class GoToWebinarStandIn(StandIn):
    def __init__(
        self,
        data: SandboxData,
        organizer_key: str = "8439885694023999999",
        client_id: str = "sandbox-goto-client",
        client_secret: str = "sandbox-goto-secret",
        refresh_token: str = "sandbox-goto-refresh",
        token_seconds: float = 3600,
        per_second: int = 10,
    ):
        super().__init__(refresh_token)
        self.data = data
        self.organizer_key = organizer_key
        self.client = (client_id, client_secret)
        self.token_seconds = token_seconds
        self.limit = RollingLimit(per_second, 1.0)
        self._tokens: dict[str, float] = {}  # access token -> expiry (monotonic)

    def unauthorized(self, request: Request) -> Response | None:
        if request.path == "/oauth/token":
            return None
        expiry = self._tokens.get(request.bearer_token() or "")
        if expiry is None or time.monotonic() >= expiry:
            return Response(401, {"int_err_code": "InvalidToken", "msg": "Invalid token passed"})
        return None

    def route(self, request: Request) -> Response:
        if request.path == "/oauth/token":
            return self._grant(request)
        if not self.limit.allow():
            return Response(429, {"int_err_code": "TooManyRequests", "msg": "Rate limit exceeded"})
        if not request.path.startswith(PREFIX):
            return Response(404, {"int_err_code": "NotFound", "msg": "Not found"})
        parts = request.path.removeprefix(PREFIX).split("/")
        registrants = self.data.records("gotowebinar_registrants")
        if parts[0] != self.organizer_key or len(parts) < 4 or parts[2] not in registrants:
            return Response(404, {"int_err_code": "WebinarNotFound", "msg": "Webinar not found"})
        webinar, rest = parts[2], parts[3:]
        if rest == ["registrants"]:
            return self._registrants(registrants[webinar], request)
        attendees = self.data.records("gotowebinar_attendees").get(webinar, [])
        if rest == ["sessions"]:
            return Response(200, self._sessions(webinar, attendees))
        if len(rest) == 3 and rest[0] == "sessions" and rest[2] == "attendees":
            return Response(200, [a for a in attendees if str(a["sessionKey"]) == rest[1]])
        return Response(404, {"int_err_code": "NotFound", "msg": "Not found"})

    def _registrants(self, items: list[dict], request: Request) -> Response:
        if "page" not in request.query and "limit" not in request.query:
            return Response(200, items)
        limit = int(request.query.get("limit", 20))
        if limit > MAX_LIMIT:
            return Response(400, {"int_err_code": "InvalidParameter", "msg": "limit max 200"})
        page = int(request.query.get("page", 0))
        chunk = items[page * limit : (page + 1) * limit]
        body = {"data": chunk, "total": len(items), "page": page, "limit": limit}
        return Response(200, {**body, "pageSize": len(chunk)})

    @staticmethod
    def _sessions(webinar: str, attendees: list[dict]) -> list[dict]:
        keys = sorted({a["sessionKey"] for a in attendees})
        return [
            {
                "sessionKey": key,
                "webinarKey": int(webinar),
                "startTime": session_start(key).strftime(STAMP),
                "endTime": (session_start(key) + timedelta(hours=1)).strftime(STAMP),
                "registrantsAttended": sum(a["sessionKey"] == key for a in attendees),
            }
            for key in keys
        ]

    def _grant(self, request: Request) -> Response:
        form = request.form()
        if (
            request.basic_auth() != self.client
            or form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") != self.token
        ):
            return Response(400, {"error": "invalid_grant", "error_description": "Bad token"})
        token = secrets.token_urlsafe(24)
        self._tokens[token] = time.monotonic() + self.token_seconds
        return Response(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "refresh_token": self.token,
                "expires_in": self.token_seconds,
                "scope": "collab",
                "organizer_key": self.organizer_key,
                "account_key": "5678",
            },
        )
