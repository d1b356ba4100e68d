"""Stand-in for Zoom: Server-to-Server OAuth and the webinar registrants / participants lists.

`POST /oauth/token?grant_type=account_credentials&account_id=..` with Basic client credentials
issues tokens living `token_seconds` (an hour on the real platform); an expired or unknown token
gets 401 code 124. `GET /v2/webinars/{id}/registrants` and `GET /v2/past_webinars/{id}/
participants`: `page_size` defaults to 30 (silently truncating naive clients) and is capped at
300; `next_page_token` is "" on the last page; no time filter.
"""

import secrets
import time

from sandbox.form_questions import zoom_questions
from sandbox.generator import SandboxData
from sandbox.standins.server import Request, Response, StandIn

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 30, 300
LISTS = {
    "webinars": ("zoom_registrants", "registrants"),
    "past_webinars": ("zoom_participants", "participants"),
}


class ZoomStandIn(StandIn):
    def __init__(
        self,
        data: SandboxData,
        account_id: str = "sandbox-zoom-account",
        client_id: str = "sandbox-zoom-client",
        client_secret: str = "sandbox-zoom-secret",
        token_seconds: float = 3600,
    ):
        super().__init__(client_secret)
        self.data = data
        self.account_id = account_id
        self.client = (client_id, client_secret)
        self.token_seconds = token_seconds
        self.grants = 0
        self._tokens: dict[str, float] = {}  # access token -> expiry (monotonic)
        self._pages: dict[str, int] = {}  # next_page_token -> offset

    def unauthorized(self, request: Request) -> Response | None:
        if request.path == "/oauth/token":
            return None
        expiry = self._tokens.get(request.bearer_token() or "")
        if expiry is None or time.monotonic() >= expiry:
            return Response(401, {"code": 124, "message": "Invalid access token."})
        return None

    def route(self, request: Request) -> Response:
        if request.path == "/oauth/token":
            return self._grant(request)
        parts = request.path.strip("/").split("/")
        if parts[1:2] == ["webinars"] and parts[3:] == ["registrants", "questions"]:
            if parts[2] not in self.data.records("zoom_registrants"):
                return Response(
                    404, {"code": 3001, "message": f"Webinar does not exist: {parts[2]}."}
                )
            return Response(200, zoom_questions(self.data, parts[2]))
        if len(parts) != 4 or parts[0] != "v2" or parts[1] not in LISTS:
            return Response(404, {"code": 404, "message": "Not found"})
        platform, key = LISTS[parts[1]]
        if parts[3] != key or parts[2] not in self.data.records(platform):
            return Response(404, {"code": 3001, "message": f"Webinar does not exist: {parts[2]}."})
        items = self.data.records(platform)[parts[2]]
        size = min(int(request.query.get("page_size", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE)
        token = request.query.get("next_page_token")
        offset = self._pages.get(token, -1) if token else 0
        if offset < 0:
            return Response(
                400, {"code": 300, "message": "The next page token is invalid or expired."}
            )
        body = {"page_size": size, "total_records": len(items), key: items[offset : offset + size]}
        body["next_page_token"] = ""
        if offset + size < len(items):
            body["next_page_token"] = secrets.token_urlsafe(24)
            self._pages[body["next_page_token"]] = offset + size
        return Response(200, body)

    def _grant(self, request: Request) -> Response:
        given = {**request.query, **request.form()}  # in the query string or the form body
        if (
            request.basic_auth() != self.client
            or given.get("grant_type") != "account_credentials"
            or given.get("account_id") != self.account_id
        ):
            return Response(
                400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
            )
        token = secrets.token_urlsafe(24)
        self._tokens[token] = time.monotonic() + self.token_seconds
        self.grants += 1
        return Response(
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self.token_seconds,
                "scope": "webinar:read:admin",
                "api_url": self.base_url,
            },
        )
