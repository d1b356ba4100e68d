"""A signed webhook: the segment's changes POSTed as JSON batches to a URL the user runs.

Each request carries `X-Leadpipe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>" with the shared secret>`, the scheme Stripe made common: the receiver recomputes it,
and refuses old timestamps to stop replays. A batch is
`{"sync": ..., "records": [{"key": lead_id, "operation": "upsert" | "remove" | "erase", "fields":
{...}}]}`; `erase` (an erasure request) asks the receiver to delete everything it holds on them.
A batch the receiver refuses as a whole (400, 413, 422) is split in halves to isolate the bad
records; 429 and 5xx are retried by the session with backoff.
"""

import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import requests

from activation.destinations.base import PROFILE_FIELDS, Change, Outcome
from leadpipe.config import DestinationConfig
from leadpipe.errors import ConfigError
from leadpipe.http import build_session, raise_for_platform
from leadpipe.settings import require

if TYPE_CHECKING:
    from activation.plan import SyncSpec

SECRET_SETTING = "LEADPIPE_WEBHOOK_SECRET"
SIGNATURE_HEADER = "X-Leadpipe-Signature"
DEFAULT_BATCH = 100
SPLIT_STATUSES = (400, 413, 422)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for a body sent at `timestamp`."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class Webhook:
    name = "webhook"
    modes = ("upsert", "mirror")
    default_fields: ClassVar[dict[str, str]] = PROFILE_FIELDS
    required_fields = ()
    gate_on = "email"
    lists_by_name = False
    secret_settings = (SECRET_SETTING,)

    def __init__(
        self,
        session: requests.Session,
        url: str,
        secret: str,
        sync_name: str,
        batch_size: int = DEFAULT_BATCH,
    ):
        self.session = session
        self.url = url
        self.secret = secret
        self.sync_name = sync_name
        self.batch_size = batch_size
        self.requests = 0
        self.erasing = False

    @classmethod
    def from_settings(cls, settings: DestinationConfig, spec: "SyncSpec") -> "Webhook":
        if not settings.base_url:
            raise ConfigError("destinations.webhook.base_url (the URL to POST to) is not set.")
        secret = require(os.environ.get(SECRET_SETTING), SECRET_SETTING, "The webhook secret")
        batch_size = int(settings.options.get("batch_size", DEFAULT_BATCH))
        return cls(build_session(), settings.base_url, secret, spec.name, batch_size)

    def apply(
        self, mode: str, changes: list[Change], members: Callable[[], list[dict]]
    ) -> list[Outcome]:
        self.erasing = mode == "erase"
        outcomes = []
        for start in range(0, len(changes), self.batch_size):
            outcomes += self._send(changes[start : start + self.batch_size])
        return outcomes

    def _operation(self, change: Change) -> str:
        if self.erasing:
            return "erase"
        return "remove" if change.operation == "remove" else "upsert"

    def erase(self, changes: list[Change]) -> list[Outcome]:
        """An `erase` event per person: the receiver must delete everything it holds on them."""
        return self.apply("erase", changes, list)

    def _send(self, batch: list[Change]) -> list[Outcome]:
        body = json.dumps(
            {
                "sync": self.sync_name,
                "records": [
                    {
                        "key": change.key,
                        "operation": self._operation(change),
                        "fields": change.fields,
                    }
                    for change in batch
                ],
            },
            ensure_ascii=False,
        ).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(self.secret, int(time.time()), body),
        }
        response = self.session.post(self.url, data=body, headers=headers, timeout=60)
        self.requests += 1
        if response.status_code in (401, 403):
            raise_for_platform(response, "The webhook", SECRET_SETTING)
        if response.status_code in SPLIT_STATUSES and len(batch) > 1:
            middle = len(batch) // 2
            return self._send(batch[:middle]) + self._send(batch[middle:])
        if response.ok:
            return [Outcome(c.key, True, c.key, created=True) for c in batch]
        error = f"the webhook answered HTTP {response.status_code}"
        return [Outcome(c.key, False, error=error) for c in batch]
