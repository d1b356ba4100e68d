"""Stand-in for a user's webhook endpoint: checks leadpipe's signature, keeps what it receives.

Refuses a bad or missing signature (401) and a timestamp more than five minutes old (401, as a
replay), a batch above `max_records` (413), and a batch holding a record whose fields carry one
of `refused_keys` (422: the user's system rejects that record). `records` maps each key to the
last fields received; a `remove` or an `erase` deletes it.
"""

import hashlib
import hmac
import time

from sandbox.standins.server import Request, Response, StandIn

TOLERANCE_SECONDS = 300


class WebhookReceiver(StandIn):
    def __init__(self, secret: str = "sandbox-webhook-secret", max_records: int = 1000):
        super().__init__(secret)
        self.max_records = max_records
        self.records: dict[str, dict] = {}
        self.refused_keys: set[str] = set()
        self.batches: list[int] = []  # size of each batch accepted

    @property
    def url(self) -> str:
        return f"{self.base_url}/hooks/leadpipe"

    def unauthorized(self, request: Request) -> Response | None:
        header = request.headers.get("x-leadpipe-signature", "")
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        if not parts.get("t", "").isdigit() or "v1" not in parts:
            return Response(401, {"error": "missing signature"})
        if abs(time.time() - int(parts["t"])) > TOLERANCE_SECONDS:
            return Response(401, {"error": "timestamp outside the tolerance"})
        signed = f"{parts['t']}.".encode() + request.raw
        expected = hmac.new(self.token.encode(), signed, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts["v1"]):
            return Response(401, {"error": "bad signature"})
        return None

    def route(self, request: Request) -> Response:
        if request.method != "POST" or request.path != "/hooks/leadpipe":
            return Response(404, {"error": "not found"})
        records = (request.body or {}).get("records", [])
        if len(records) > self.max_records:
            return Response(413, {"error": f"at most {self.max_records} records per request"})
        if any(record["key"] in self.refused_keys for record in records):
            return Response(422, {"error": "a record was refused"})
        for record in records:
            if record["operation"] in ("remove", "erase"):
                self.records.pop(record["key"], None)
            else:
                self.records[record["key"]] = record["fields"]
        self.batches.append(len(records))
        return Response(200, {"received": len(records)})
