"""Stand-in for Meta Custom Audiences: `POST` and `DELETE /{version}/{audience_id}/users`.

Takes `payload={"schema": [...], "data": [[...], ...]}` as a form field on POST and in the query
string on DELETE, as the Graph API and its SDK do, with at most 10,000 rows (more is
a Graph error 100), counts values that are not lowercase SHA-256 hex as invalid entries (as
Meta does with unhashed data), and answers `{audience_id, session_id, num_received,
num_invalid_entries, invalid_entry_samples}`. Errors are Graph error bodies with HTTP 400: 190
for a bad token, 100 for an unknown audience; throttling (codes 17, 80003) is injected with the
fault queue (`meta_lead_ads.throttled`). `audiences` maps each audience id to the rows it holds.
"""

import json
import re
import uuid

from sandbox.standins.meta_lead_ads import GRAPH_VERSION, graph_error
from sandbox.standins.server import Request, Response, StandIn

MAX_USERS = 10_000
_HASH = re.compile(r"^[0-9a-f]{64}$")


class MetaAudiencesStandIn(StandIn):
    def __init__(
        self,
        token: str = "sandbox-meta-token",
        audiences: list[str] = (),
    ):
        super().__init__(token)
        self.audiences: dict[str, set[tuple[str, ...]]] = {i: set() for i in audiences}
        self.invalid_entries = 0

    @property
    def graph_url(self) -> str:
        return f"{self.base_url}/{GRAPH_VERSION}"

    def unauthorized(self, request: Request) -> Response | None:
        given = request.form().get("access_token") if request.method == "POST" else None
        token = request.bearer_token() or request.query.get("access_token") or given
        if token != self.token:
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        return None

    def route(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        if len(parts) != 3 or parts[2] != "users" or request.method not in ("POST", "DELETE"):
            return graph_error(
                100, f"Unknown path components: {request.path}", "GraphMethodException"
            )
        audience = self.audiences.get(parts[1])
        if audience is None:
            return graph_error(
                100,
                f"Unsupported post request. Object with ID '{parts[1]}' does not exist",
                "GraphMethodException",
            )
        # the Graph API reads parameters as form fields on POST, from the query string on DELETE
        # (a DELETE body is not read)
        given = request.form() if request.method == "POST" else request.query
        try:
            payload = json.loads(given.get("payload") or "{}")
        except ValueError:
            return graph_error(100, "(#100) payload must be JSON", "OAuthException")
        rows = payload.get("data") or []
        if not payload.get("schema") or not rows:
            return graph_error(100, "(#100) Missing schema or data in payload", "OAuthException")
        if len(rows) > MAX_USERS:
            return graph_error(100, f"(#100) At most {MAX_USERS} users per call", "OAuthException")
        valid = [tuple(row) for row in rows if all(v == "" or _HASH.match(v) for v in row)]
        invalid = len(rows) - len(valid)
        self.invalid_entries += invalid
        if request.method == "POST":
            audience.update(valid)
        else:
            audience.difference_update(valid)
        return Response(
            200,
            {
                "audience_id": parts[1],
                "session_id": str(uuid.uuid4().int)[:18],
                "num_received": len(rows),
                "num_invalid_entries": invalid,
                "invalid_entry_samples": {},
            },
        )
