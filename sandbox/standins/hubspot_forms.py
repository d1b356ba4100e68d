"""Stand-in for HubSpot's form submissions API: GET /form-integrations/v1/submissions/forms/{guid}.

Newest first, `limit` up to 50 (default 20), an opaque `after` cursor from `paging.next.after`
(absent on the last page), no time filter, 401 for a bad token, 404 for an unknown form.
"""

import base64

from sandbox.form_questions import hubspot_form
from sandbox.generator import SandboxData
from sandbox.standins.ordering import TimeIndex
from sandbox.standins.server import Request, Response, StandIn

PREFIX = "/form-integrations/v1/submissions/forms/"
DEFINITIONS = "/marketing/v3/forms/"
DEFAULT_LIMIT, MAX_LIMIT = 20, 50


class HubSpotFormsStandIn(StandIn):
    def __init__(self, data: SandboxData, token: str = "sandbox-hubspot-token"):
        super().__init__(token)
        self.data = data
        self.streams = data.records("hubspot_forms")
        self.index = TimeIndex(self.streams, lambda s: (s["submittedAt"], s["conversionId"]))

    def unauthorized(self, request: Request) -> Response | None:
        if request.bearer_token() != self.token:
            return Response(
                401,
                {
                    "status": "error",
                    "message": "Authentication credentials not found.",
                    "category": "INVALID_AUTHENTICATION",
                },
            )
        return None

    def route(self, request: Request) -> Response:
        definition = request.path.removeprefix(DEFINITIONS)
        if request.method == "GET" and request.path.startswith(DEFINITIONS):
            if definition not in self.streams:
                return Response(
                    404, {"status": "error", "message": "Form not found", "category": "NOT_FOUND"}
                )
            return Response(200, hubspot_form(self.data, definition))
        form = request.path.removeprefix(PREFIX)
        if (
            request.method != "GET"
            or not request.path.startswith(PREFIX)
            or form not in self.streams
        ):
            return Response(
                404,
                {"status": "error", "message": "Form not found", "category": "OBJECT_NOT_FOUND"},
            )
        limit = int(request.query.get("limit", DEFAULT_LIMIT))
        if limit > MAX_LIMIT:
            return Response(
                400,
                {
                    "status": "error",
                    "message": f"limit must be <= {MAX_LIMIT}",
                    "category": "VALIDATION_ERROR",
                },
            )
        oldest_first = self.index.ordered(form)[1]
        offset = int(base64.b64decode(request.query["after"])) if "after" in request.query else 0
        end = len(oldest_first) - offset  # newest first: count back from the newest
        page = oldest_first[max(0, end - limit) : max(0, end)][::-1]
        body: dict = {"results": page}
        if offset + limit < len(oldest_first):
            after = base64.b64encode(str(offset + limit).encode()).decode()
            body["paging"] = {
                "next": {"after": after, "link": f"{self.base_url}{request.path}?after={after}"}
            }
        return Response(200, body)
