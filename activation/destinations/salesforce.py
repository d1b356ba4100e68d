"""Salesforce Leads, upserted on the external id `Leadpipe_Lead_Id__c`.

Up to `bulk_threshold` records (default 2,000) go through sObject Collections: `PATCH
/composite/sobjects/Lead/Leadpipe_Lead_Id__c`, 200 records per call, `allOrNone` false, one
result per record in input order. Larger runs use Bulk API 2.0: one ingest job, the records
uploaded as CSV, the job polled until it completes, then its successful and failed results read
back and matched on the external id. OAuth client credentials, renewed when the org ends the
session (401). 403 REQUEST_LIMIT_EXCEEDED means the org's daily allowance is spent: the rest of
the run's records fail with that reason, without more requests, and are retried on the next run.
"""

import csv
import io
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import requests

from activation.destinations.base import Change, Outcome
from leadpipe.config import DestinationConfig
from leadpipe.errors import AuthError, ConfigError
from leadpipe.oauth import RenewingToken, renewing_session
from leadpipe.redaction import redact
from leadpipe.settings import require

if TYPE_CHECKING:
    from activation.plan import SyncSpec

CLIENT_ID = "LEADPIPE_SALESFORCE_CLIENT_ID"
CLIENT_SECRET = "LEADPIPE_SALESFORCE_CLIENT_SECRET"
API_VERSION = "v62.0"
EXTERNAL_ID = "Leadpipe_Lead_Id__c"
MAX_COLLECTION = 200
BULK_THRESHOLD = 2_000
BULK_NULL = "#N/A"  # how a CSV upload clears a field
LIMIT_SPENT = "Salesforce's daily API allowance is spent: retried on the next run"


class Salesforce:
    name = "salesforce"
    modes = ("upsert",)
    default_fields: ClassVar[dict[str, str]] = {
        "lead_id": EXTERNAL_ID,
        "email": "Email",
        "first_name": "FirstName",
        "last_name": "LastName",
        "phone_e164": "Phone",
        "company": "Company",
        "job_title": "Title",
        "first_channel": "LeadSource",
        "tier": "Leadpipe_Tier__c",
        "total_score": "Leadpipe_Score__c",
        "score_reasons": "Leadpipe_Score_Reasons__c",
    }
    required_fields = ("LastName", "Company")  # Salesforce refuses a Lead without them
    gate_on = "email"
    lists_by_name = False
    secret_settings = (CLIENT_ID, CLIENT_SECRET)

    def __init__(
        self,
        session: requests.Session,
        instance_url: str,
        bulk_threshold: int = BULK_THRESHOLD,
        poll_seconds: float = 2.0,
        max_wait_seconds: float = 1800,
    ):
        self.session = session
        self.api = f"{instance_url.rstrip('/')}/services/data/{API_VERSION}"
        self.bulk_threshold = bulk_threshold
        self.poll_seconds = poll_seconds
        self.max_wait_seconds = max_wait_seconds
        self.requests = 0
        self.limit_spent = False

    @classmethod
    def from_settings(cls, settings: DestinationConfig, spec: "SyncSpec") -> "Salesforce":
        if EXTERNAL_ID not in spec.fields.values():
            raise ConfigError(f"syncs.{spec.name}.fields must map lead_id to {EXTERNAL_ID}.")
        if not settings.base_url:
            raise ConfigError("destinations.salesforce.base_url (your My Domain URL) is not set.")
        client, secret = (
            require(os.environ.get(name), name, "Salesforce") for name in cls.secret_settings
        )
        url = settings.base_url.rstrip("/")
        session = renewing_session(
            f"{url}/services/oauth2/token",
            "Salesforce",
            f"{CLIENT_ID} and {CLIENT_SECRET} (a connected app with the client credentials flow)",
            data={"grant_type": "client_credentials", "client_id": client, "client_secret": secret},
        )
        threshold = int(settings.options.get("bulk_threshold", BULK_THRESHOLD))
        return cls(session, url, threshold)

    def apply(
        self, mode: str, changes: list[Change], members: Callable[[], list[dict]]
    ) -> list[Outcome]:
        if len(changes) > self.bulk_threshold:
            return self.bulk_upsert(changes)
        outcomes = []
        for start in range(0, len(changes), MAX_COLLECTION):
            outcomes += self._upsert_collection(changes[start : start + MAX_COLLECTION])
        return outcomes

    def _upsert_collection(self, batch: list[Change]) -> list[Outcome]:
        body = {
            "allOrNone": False,
            "records": [{"attributes": {"type": "Lead"}, **change.fields} for change in batch],
        }
        response = self._send("PATCH", f"/composite/sobjects/Lead/{EXTERNAL_ID}", json=body)
        if response is None or not response.ok:
            error = _error(response)
            return [Outcome(change.key, False, error=error) for change in batch]
        return [
            Outcome(change.key, True, result.get("id"), bool(result.get("created")))
            if result.get("success")
            else Outcome(change.key, False, error=_record_error(result.get("errors") or []))
            for change, result in zip(batch, response.json(), strict=True)
        ]

    def erase(self, changes: list[Change]) -> list[Outcome]:
        """Delete the Leads by id, 200 a call; a Lead already gone counts as done."""
        outcomes = []
        for start in range(0, len(changes), MAX_COLLECTION):
            batch = changes[start : start + MAX_COLLECTION]
            ids = ",".join(str(c.destination_id) for c in batch)
            response = self._send("DELETE", f"/composite/sobjects?ids={ids}&allOrNone=false")
            if response is None or not response.ok:
                outcomes += [Outcome(c.key, False, error=_error(response)) for c in batch]
                continue
            for change, result in zip(batch, response.json(), strict=True):
                codes = {e.get("statusCode") for e in result.get("errors") or []}
                done = result.get("success") or codes == {"ENTITY_IS_DELETED"}
                error = None if done else _record_error(result.get("errors") or [])
                outcomes.append(Outcome(change.key, bool(done), change.destination_id, error=error))
        return outcomes

    def bulk_upsert(self, changes: list[Change]) -> list[Outcome]:
        """One Bulk API 2.0 ingest job for all the changes; results matched on the external id."""
        columns = list(dict.fromkeys(name for change in changes for name in change.fields))
        job = self._send(
            "POST",
            "/jobs/ingest",
            json={
                "object": "Lead",
                "externalIdFieldName": EXTERNAL_ID,
                "contentType": "CSV",
                "operation": "upsert",
                "lineEnding": "LF",
            },
        )
        if job is None or not job.ok:
            return [Outcome(c.key, False, error=_error(job)) for c in changes]
        job_url = f"/jobs/ingest/{job.json()['id']}"
        steps = (
            (
                "PUT",
                f"{job_url}/batches",
                {"data": _csv(columns, changes).encode(), "headers": {"Content-Type": "text/csv"}},
            ),
            ("PATCH", job_url, {"json": {"state": "UploadComplete"}}),
        )
        for method, path, request in steps:
            response = self._send(method, path, **request)
            if response is None or not response.ok:
                return [Outcome(c.key, False, error=_error(response)) for c in changes]
        state, info = self._wait_for(job_url)
        if state != "JobComplete":
            error = f"the Bulk API job ended {state}"
            return [Outcome(c.key, False, error=error) for c in changes]
        done = {row[EXTERNAL_ID]: row for row in self._results(f"{job_url}/successfulResults/")}
        failed = {}
        if info.get("numberRecordsFailed", 1):  # the job info counts them: none, no request
            failed = {row[EXTERNAL_ID]: row for row in self._results(f"{job_url}/failedResults/")}
        outcomes = []
        for change in changes:
            key = str(change.fields.get(EXTERNAL_ID))
            if key in done:
                row = done[key]
                outcomes.append(
                    Outcome(change.key, True, row["sf__Id"], row["sf__Created"] == "true")
                )
            else:
                error = failed.get(key, {}).get("sf__Error") or "missing from the job's results"
                outcomes.append(Outcome(change.key, False, error=redact(error)))
        return outcomes

    def _wait_for(self, job_url: str) -> tuple[str, dict]:
        """The job's final state and its info (counts), polling until it ends."""
        deadline = time.monotonic() + self.max_wait_seconds
        while time.monotonic() < deadline:
            response = self._send("GET", job_url)
            if response is None or not response.ok:
                return "unreadable", {}
            info = response.json()
            if info.get("state") in ("JobComplete", "Failed", "Aborted"):
                return info["state"], info
            time.sleep(self.poll_seconds)
        waited = f"still running after {self.max_wait_seconds:.0f} s (it finishes in Salesforce)"
        return waited, {}

    def _results(self, path: str) -> list[dict]:
        response = self._send("GET", path)
        if response is None or not response.ok:
            return []
        return list(csv.DictReader(io.StringIO(response.text)))

    def _send(self, method: str, path: str, **request) -> requests.Response | None:
        """One request; None once the daily allowance is spent. A 401 renews the session once."""
        if self.limit_spent:
            return None
        for attempt in range(2):
            response = self.session.request(method, f"{self.api}{path}", timeout=120, **request)
            self.requests += 1
            if (
                response.status_code != 401
                or attempt
                or not isinstance(self.session.auth, RenewingToken)
            ):
                break
            self.session.auth.expire()  # the org ended the session early: one fresh token
        if response.status_code == 401:
            raise AuthError(
                f"Salesforce refused the session (HTTP 401): check {CLIENT_ID} and "
                f"{CLIENT_SECRET}, and the connected app's run-as user."
            )
        if response.status_code == 403 and "REQUEST_LIMIT_EXCEEDED" in response.text:
            self.limit_spent = True
            return None
        return response


def _csv(columns: list[str], changes: list[Change]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for change in changes:
        writer.writerow(
            [
                BULK_NULL if change.fields.get(c, "") is None else change.fields.get(c, "")
                for c in columns
            ]
        )
    return out.getvalue()


def _record_error(errors: list[dict]) -> str:
    return redact("; ".join(f"{e.get('statusCode')}: {e.get('message')}" for e in errors))


def _error(response: requests.Response | None) -> str:
    if response is None:
        return LIMIT_SPENT
    try:
        body = response.json()
        message = body[0].get("message") if isinstance(body, list) and body else None
    except ValueError:
        message = None
    return redact(message or f"Salesforce answered HTTP {response.status_code}")
