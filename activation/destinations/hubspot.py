"""HubSpot CRM contacts: batch upsert by email, at most 100 distinct ids per call.

A 207 multi-status is mapped back to records: ids named in `errors[].context.ids` failed with
that error's message, the rest succeeded. A call refused as a whole fails each of its records.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import requests

from leadpipe.http import raise_for_platform
from leadpipe.redaction import redact

HUBSPOT_URL = "https://api.hubapi.com"
TOKEN_SETTING = "LEADPIPE_HUBSPOT_TOKEN"
UPSERT_PATH = "/crm/v3/objects/contacts/batch/upsert"
MAX_BATCH = 100


@dataclass
class Outcome:
    key: str  # the record's key in the warehouse (lead_id), never the email
    success: bool
    destination_id: str | None = None
    created: bool = False
    error: str | None = None


def _batches(records: list[tuple[str, dict]]) -> Iterator[list[tuple[str, dict]]]:
    """Batches of at most MAX_BATCH records with no email twice in the same batch."""
    batch: dict[str, tuple[str, dict]] = {}
    for key, properties in records:
        email = properties["email"].strip().lower()
        if email in batch or len(batch) == MAX_BATCH:
            yield list(batch.values())
            batch = {}
        batch[email] = (key, properties)
    if batch:
        yield list(batch.values())


def upsert_contacts(
    session: requests.Session, base_url: str, records: list[tuple[str, dict]]
) -> list[Outcome]:
    """Upsert (key, properties) pairs; properties must hold `email`; None values are not sent."""
    outcomes: list[Outcome] = []
    url = f"{base_url.rstrip('/')}{UPSERT_PATH}"
    for batch in _batches(records):
        inputs = [
            {
                "id": properties["email"].strip(),
                "idProperty": "email",
                "properties": {k: v for k, v in properties.items() if v is not None},
            }
            for _, properties in batch
        ]
        response = session.post(url, json={"inputs": inputs}, timeout=60)
        if response.status_code in (401, 403):
            raise_for_platform(response, "HubSpot", TOKEN_SETTING)
        outcomes.extend(_outcomes(batch, response))
    return outcomes


def _outcomes(batch: list[tuple[str, dict]], response: requests.Response) -> list[Outcome]:
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
