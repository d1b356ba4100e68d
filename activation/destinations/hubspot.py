"""HubSpot CRM contacts: batch upsert by email, at most 100 distinct ids per call.

Requests are paced from the X-HubSpot-RateLimit-* headers. A 207 multi-status is mapped back to
records: ids named in `errors[].context.ids` failed with that error's message, the rest
succeeded. A batch refused as a whole is split in halves until the bad records are isolated.
"""

from collections.abc import Iterator

import requests

from activation.destinations.outcome import Outcome
from leadpipe.http import RollingWindowPacer, raise_for_platform
from leadpipe.redaction import redact

HUBSPOT_URL = "https://api.hubapi.com"
TOKEN_SETTING = "LEADPIPE_HUBSPOT_TOKEN"
UPSERT_PATH = "/crm/v3/objects/contacts/batch/upsert"
MAX_BATCH = 100

Record = tuple[str, dict]


def _batches(records: list[Record]) -> Iterator[list[Record]]:
    """Batches of at most MAX_BATCH records with no email twice in the same batch."""
    batch: dict[str, Record] = {}
    for key, properties in records:
        email = properties["email"].strip().lower()
        if email in batch or len(batch) == MAX_BATCH:
            yield list(batch.values())
            batch = {}
        batch[email] = (key, properties)
    if batch:
        yield list(batch.values())


class HubSpotContacts:
    """Upserts contacts through one session, paced under the portal's rate limit."""

    def __init__(self, session: requests.Session, base_url: str):
        self.session = session
        self.url = f"{base_url.rstrip('/')}{UPSERT_PATH}"
        self.pacer = RollingWindowPacer(
            "X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Interval-Milliseconds"
        )
        self.requests = 0

    def upsert(self, records: list[Record]) -> list[Outcome]:
        """Upsert (key, properties) pairs; properties must hold `email`; None is never sent."""
        outcomes: list[Outcome] = []
        for batch in _batches(records):
            outcomes.extend(self._send(batch))
        return outcomes

    def _send(self, batch: list[Record]) -> list[Outcome]:
        inputs = [
            {
                "id": properties["email"].strip(),
                "idProperty": "email",
                "properties": {k: v for k, v in properties.items() if v is not None},
            }
            for _, properties in batch
        ]
        self.pacer.wait()
        response = self.session.post(self.url, json={"inputs": inputs}, timeout=60)
        self.pacer.record(response)
        self.requests += 1
        if response.status_code in (401, 403):
            raise_for_platform(response, "HubSpot", TOKEN_SETTING)
        if response.status_code == 400 and len(batch) > 1:
            middle = len(batch) // 2
            return self._send(batch[:middle]) + self._send(batch[middle:])
        return _outcomes(batch, response)


def _outcomes(batch: list[Record], response: requests.Response) -> list[Outcome]:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code not in (200, 201, 207):
        message = redact(str(body.get("message") or f"HTTP {response.status_code}"))
        return [Outcome(key, False, error=message) for key, _ in batch]
    by_email = {
        str((result.get("properties") or {}).get("email", "")).lower(): result
        for result in body.get("results", [])
    }
    failed: dict[str, str] = {}
    for error in body.get("errors", []):
        message = redact(str(error.get("message") or error.get("category") or "error"))
        for failed_id in (error.get("context") or {}).get("ids", []):
            failed[str(failed_id).strip().lower()] = message
    outcomes = []
    for key, properties in batch:
        email = properties["email"].strip().lower()
        result = by_email.get(email)
        if email in failed or result is None:
            outcomes.append(Outcome(key, False, error=failed.get(email, "missing from response")))
        else:
            outcomes.append(Outcome(key, True, str(result.get("id")), bool(result.get("new"))))
    return outcomes
