"""Meta Custom Audiences: people added to and removed from a customer-list audience.

`POST /{audience_id}/users` adds and `DELETE /{audience_id}/users` removes, at most 10,000 people
per call, as `{"payload": {"schema": ["EMAIL", "PHONE"], "data": [[sha256, sha256], ...]}}`.
Emails are trimmed and lowercased, phones reduced to their digits with the country code, then
hashed with SHA-256: no identifier leaves in clear. Each identifier is sent only if its own
consent covers the segment's purpose (the other is sent empty). What was sent is kept as the
record's destination id, so a removal or a changed identifier takes out exactly what was added.
Graph throttling (error codes 4, 17, 32, 613, 80000-80014, with HTTP 400/403) is waited out
with exponential backoff.
"""

import hashlib
import json
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import requests
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from activation.destinations.base import Change, Outcome
from leadpipe.config import DestinationConfig
from leadpipe.errors import ConfigError, PlatformError
from leadpipe.graph_api import EXPIRED_TOKEN_CODE, THROTTLING_CODES, graph_error_code
from leadpipe.http import build_session, raise_for_platform
from leadpipe.redaction import redact
from leadpipe.settings import require

if TYPE_CHECKING:
    from activation.plan import SyncSpec

GRAPH_URL = "https://graph.facebook.com/v21.0"
TOKEN_SETTING = "LEADPIPE_META_ACCESS_TOKEN"
MAX_USERS = 10_000
MAX_USERS_IN_QUERY = 200  # a DELETE carries them in its URL: keep it under 64 KB
SCHEMA = ["EMAIL", "PHONE"]
THROTTLED_ATTEMPTS = 6


class Throttled(PlatformError):
    """Graph asked us to slow down."""


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest() if value else ""


def hashed_identifiers(fields: dict) -> list[str]:
    """[email hash, phone hash] normalised as Meta asks; "" where there is none."""
    email = str(fields.get("email") or "").strip().lower()
    phone = re.sub(r"\D", "", str(fields.get("phone") or "")).lstrip("0")
    return [_sha256(email), _sha256(phone)]


class MetaAudiences:
    name = "meta_audiences"
    modes = ("list_membership",)
    default_fields = {"email": "email", "phone_e164": "phone"}  # noqa: RUF012
    required_fields = ()
    gate_on = "any"
    lists_by_name = False
    secret_settings = (TOKEN_SETTING,)

    def __init__(
        self, session: requests.Session, base_url: str, audience_id: str, backoff: float = 1.0
    ):
        self.session = session
        self.url = f"{base_url.rstrip('/')}/{audience_id}/users"
        self.backoff = backoff
        self.requests = 0

    @classmethod
    def from_settings(cls, settings: DestinationConfig, spec: "SyncSpec") -> "MetaAudiences":
        if not spec.list_id:
            raise ConfigError(f"syncs.{spec.name}.list_id (the custom audience id) is not set.")
        token = require(os.environ.get(TOKEN_SETTING), TOKEN_SETTING, "Meta")
        backoff = float(settings.options.get("throttle_backoff", 1))
        return cls(build_session(token), settings.base_url or GRAPH_URL, spec.list_id, backoff)

    def apply(
        self, mode: str, changes: list[Change], members: Callable[[], list[dict]]
    ) -> list[Outcome]:
        adds = [c for c in changes if c.operation != "remove"]
        sent = {c.key: json.dumps(hashed_identifiers(c.fields)) for c in adds}
        stale = [  # an identifier changed: take out what was added before
            c for c in adds if c.destination_id and c.destination_id != sent[c.key]
        ]
        removals = [c for c in changes if c.operation == "remove"] + stale
        removed = self._call(
            "DELETE", [(c.key, json.loads(c.destination_id)) for c in removals if c.destination_id]
        )
        added = self._call("POST", [(c.key, json.loads(sent[c.key])) for c in adds])
        outcomes = [
            Outcome(
                c.key,
                added[c.key] is None and removed.get(c.key) is None,
                sent[c.key],
                created=True,
                error=added[c.key] or removed.get(c.key),
            )
            for c in adds
        ]
        return outcomes + [
            Outcome(c.key, removed.get(c.key) is None, c.destination_id, error=removed.get(c.key))
            for c in changes
            if c.operation == "remove"
        ]

    def erase(self, changes: list[Change]) -> list[Outcome]:
        """Take the people out of the audience: exactly the hashes that were added."""
        rows = [(c.key, json.loads(c.destination_id)) for c in changes if c.destination_id]
        errors = self._call("DELETE", rows)
        return [Outcome(c.key, errors.get(c.key) is None, error=errors.get(c.key)) for c in changes]

    def _call(self, method: str, rows: list[tuple[str, list[str]]]) -> dict[str, str | None]:
        """Send rows in calls of MAX_USERS; each key -> None when done, else the error."""
        errors: dict[str, str | None] = {}
        size = MAX_USERS if method == "POST" else MAX_USERS_IN_QUERY
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            error = self._send(method, [hashes for _, hashes in batch])
            errors.update(dict.fromkeys((key for key, _ in batch), error))
        return errors

    def _send(self, method: str, data: list[list[str]]) -> str | None:
        retrying = Retrying(
            retry=retry_if_exception_type(Throttled),
            wait=wait_exponential(multiplier=self.backoff, max=300),
            stop=stop_after_attempt(THROTTLED_ATTEMPTS),
            reraise=True,
        )
        try:
            response = retrying(self._request, method, {"schema": SCHEMA, "data": data})
        except Throttled as error:
            return str(error)
        if response.ok:
            return None
        return redact(f"Meta answered HTTP {response.status_code}: {response.text[:300]}")

    def _request(self, method: str, payload: dict) -> requests.Response:
        # Graph reads parameters as form fields on POST and from the query string on DELETE
        where = "data" if method == "POST" else "params"
        response = self.session.request(
            method, self.url, timeout=120, **{where: {"payload": json.dumps(payload)}}
        )
        self.requests += 1
        code = graph_error_code(response)
        if code in THROTTLING_CODES:
            raise Throttled(
                f"Meta kept throttling (Graph error {code}) after {THROTTLED_ATTEMPTS} attempts: "
                "retried on the next run"
            )
        if response.status_code in (401, 403) or code == EXPIRED_TOKEN_CODE:
            raise_for_platform(response, "Meta Custom Audiences", TOKEN_SETTING, auth_failed=True)
        return response
