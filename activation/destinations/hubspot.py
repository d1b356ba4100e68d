"""HubSpot CRM contacts: batch upsert or update by email, archive, list membership, GDPR delete.

- Upsert / update: at most 100 distinct emails per call. A 207 multi-status is mapped back to
  records: ids named in `errors[].context.ids` failed with that error's message, the rest
  succeeded. A batch refused as a whole (400) is split in halves until the bad records are
  isolated.
- Mirror: a person leaving the segment is archived only if leadpipe created the contact.
- List membership: contacts are upserted first (lists take record ids, not emails), then added
  to or removed from a MANUAL list in one `add-and-remove` call per 10,000 ids.
- Requests are paced from the X-HubSpot-RateLimit-* headers; when the daily allowance is spent
  (the Daily-Remaining header reaches 0, or a 429 DAILY) the rest of the run's records fail with
  that reason, without another request, and are retried on the next run.
- The API version is a setting (`v3`, or a dated one such as `2026-03`), as HubSpot moves to
  date-versioned paths.
"""

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import quote

import requests

from activation.destinations.base import Change, Outcome
from leadpipe.config import DestinationConfig
from leadpipe.errors import ConfigError
from leadpipe.http import RollingWindowPacer, build_session, raise_for_platform
from leadpipe.redaction import redact
from leadpipe.settings import require

if TYPE_CHECKING:
    from activation.plan import SyncSpec

HUBSPOT_URL = "https://api.hubapi.com"
TOKEN_SETTING = "LEADPIPE_HUBSPOT_TOKEN"
MAX_BATCH = 100
MAX_LIST_CHANGE = 10_000
DAILY_LIMIT_SPENT = "HubSpot's daily API allowance is spent: retried on the next run"


def _batches(changes: list[Change]) -> Iterator[list[Change]]:
    """Batches of at most MAX_BATCH changes with no email twice in the same batch."""
    batch: dict[str, Change] = {}
    for change in changes:
        email = _email(change)
        if email in batch or len(batch) == MAX_BATCH:
            yield list(batch.values())
            batch = {}
        batch[email] = change
    if batch:
        yield list(batch.values())


def _email(change: Change) -> str:
    return str(change.fields["email"]).strip().lower()


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class HubSpot:
    """HubSpot contacts through one session, paced under the portal's rate limits."""

    name = "hubspot"
    modes = ("upsert", "update_only", "mirror", "list_membership")
    default_fields: ClassVar[dict[str, str]] = {
        "email": "email",
        "first_name": "firstname",
        "last_name": "lastname",
        "phone_e164": "phone",
        "company": "company",
        "job_title": "jobtitle",
        "tier": "leadpipe_tier",
        "total_score": "leadpipe_score",
        "score_reasons": "leadpipe_score_reasons",
        "lead_id": "leadpipe_lead_id",
    }
    required_fields = ("email",)
    gate_on = "email"
    lists_by_name = True
    secret_settings = (TOKEN_SETTING,)

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        list_id: str | None = None,
        api_version: str = "v3",
        list_name: str | None = None,
    ):
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.list_id = list_id
        self.list_name = list_name
        self.api_version = api_version
        self.pacer = RollingWindowPacer(
            "X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Interval-Milliseconds"
        )
        self.requests = 0
        self.daily_spent = False

    @classmethod
    def from_settings(cls, settings: DestinationConfig, spec: "SyncSpec") -> "HubSpot":
        token = require(os.environ.get(TOKEN_SETTING), TOKEN_SETTING, "HubSpot")
        return cls(
            build_session(token),
            settings.base_url or HUBSPOT_URL,
            spec.list_id,
            settings.options.get("api_version", "v3"),
            spec.list_name,
        )

    def _url(self, area: str, path: str) -> str:
        """`area` is objects or lists; v3 paths put the version first, dated ones after."""
        if self.api_version == "v3":
            return f"{self.base_url}/crm/v3/{area}/{path}"
        return f"{self.base_url}/crm/{area}/{self.api_version}/{path}"

    def apply(
        self, mode: str, changes: list[Change], members: Callable[[], list[dict]]
    ) -> list[Outcome]:
        writes = [c for c in changes if c.operation != "remove"]
        removals = [c for c in changes if c.operation == "remove"]
        outcomes = self.update(writes) if mode == "update_only" else self.upsert(writes)
        # a contact just written for another lead (people sharing one email) stays where it is
        written = {o.destination_id for o in outcomes if o.success}
        handed_over = [c for c in removals if c.destination_id in written]
        removals = [c for c in removals if c.destination_id not in written]
        if mode == "list_membership":
            outcomes = self._list_add(outcomes) + self._list_remove(removals)
        elif mode == "mirror":
            outcomes += self.archive(removals)
        return outcomes + [Outcome(c.key, True, c.destination_id) for c in handed_over]

    def upsert(self, changes: list[Change]) -> list[Outcome]:
        """Create or update contacts by email; `fields` must hold `email`."""
        path = self._url("objects", "contacts/batch/upsert")
        return [o for batch in _batches(changes) for o in self._write(path, batch)]

    def update(self, changes: list[Change]) -> list[Outcome]:
        """Update contacts that exist, by email; a contact HubSpot does not have fails."""
        path = self._url("objects", "contacts/batch/update")
        return [o for batch in _batches(changes) for o in self._write(path, batch)]

    def archive(self, changes: list[Change]) -> list[Outcome]:
        """Archive contacts by their HubSpot id (mirror mode's removals)."""
        outcomes = []
        for batch in _chunks(changes, MAX_BATCH):
            response = self._post(
                self._url("objects", "contacts/batch/archive"),
                {"inputs": [{"id": c.destination_id} for c in batch]},
            )
            error = None if response is not None and response.ok else _message(response)
            outcomes += [
                Outcome(c.key, error is None, c.destination_id, error=error) for c in batch
            ]
        return outcomes

    def erase(self, changes: list[Change]) -> list[Outcome]:
        """GDPR-delete each contact by its HubSpot id; one HubSpot no longer has counts as done."""
        outcomes = []
        for change in changes:
            response = self._post(
                self._url("objects", "contacts/gdpr-delete"), {"objectId": change.destination_id}
            )
            done = response is not None and (response.ok or response.status_code == 404)
            error = None if done else _message(response)
            outcomes.append(Outcome(change.key, done, change.destination_id, error=error))
        return outcomes

    def gdpr_delete(self, email: str) -> bool:
        """Permanently delete a contact under GDPR; False when HubSpot has no such contact."""
        response = self._post(
            self._url("objects", "contacts/gdpr-delete"),
            {"objectId": email.strip().lower(), "idProperty": "email"},
        )
        if response is None:
            raise ConfigError(DAILY_LIMIT_SPENT)
        if response.status_code == 404:
            return False
        raise_for_platform(response, "HubSpot", TOKEN_SETTING)
        return True

    def _list_add(self, written: list[Outcome]) -> list[Outcome]:
        """Add the contacts just written to the list; those HubSpot calls missing fail."""
        added = [o for o in written if o.success]
        failed = self._change_list([o.destination_id for o in added], [])
        for outcome in added:
            if outcome.destination_id in failed:
                outcome.success, outcome.error = False, failed[outcome.destination_id]
        return written

    def _list_remove(self, removals: list[Change]) -> list[Outcome]:
        failed = self._change_list([], [c.destination_id for c in removals])
        return [
            Outcome(
                c.key,
                c.destination_id not in failed,
                c.destination_id,
                error=failed.get(c.destination_id),
            )
            for c in removals
        ]

    def _resolve_list(self) -> str:
        """The list's id: `list_id`, else the contact list named `list_name`, created as a
        static (MANUAL) list when the portal has none by that name."""
        if self.list_id:
            return self.list_id
        if not self.list_name:
            raise ConfigError(
                "A HubSpot list_membership sync needs `list_name` (or `list_id`) in leadpipe.yml."
            )
        name = quote(self.list_name, safe="")
        found = self._send("GET", self._url("lists", f"object-type-id/0-1/name/{name}"), None)
        if found is not None and found.status_code == 404:
            definition = {"name": self.list_name, "objectTypeId": "0-1", "processingType": "MANUAL"}
            found = self._post(self._url("lists", "").rstrip("/"), definition)
        if found is None or not found.ok:
            raise ConfigError(
                f"HubSpot list {self.list_name!r} could not be found or created "
                f"({_message(found)}): check the token's crm.lists.write scope."
            )
        listed = found.json().get("list", {})
        if listed.get("processingType") == "DYNAMIC":
            raise ConfigError(
                f"HubSpot list {self.list_name!r} is an active (DYNAMIC) list: HubSpot decides its "
                "members. Name a static list, or a new name for leadpipe to create one."
            )
        self.list_id = str(listed["listId"])
        return self.list_id

    def _change_list(self, to_add: list, to_remove: list) -> dict[str, str]:
        """Apply list changes; return the ids that failed, with why."""
        list_id = self._resolve_list()
        failed: dict[str, str] = {}
        path = self._url("lists", f"{list_id}/memberships/add-and-remove")
        for chunk, field in [(c, "recordIdsToAdd") for c in _chunks(to_add, MAX_LIST_CHANGE)] + [
            (c, "recordIdsToRemove") for c in _chunks(to_remove, MAX_LIST_CHANGE)
        ]:
            body = {"recordIdsToAdd": [], "recordIdsToRemove": []}  # HubSpot requires both
            body[field] = [str(i) for i in chunk]
            response = self._send("PUT", path, body)
            if response is None or not response.ok:
                failed.update(dict.fromkeys(map(str, chunk), _message(response)))
                continue
            for missing in response.json().get("recordIdsMissing", []):
                failed[str(missing)] = "the contact is missing from HubSpot"
        return failed

    def _write(self, url: str, batch: list[Change]) -> list[Outcome]:
        inputs = [
            {
                "id": str(change.fields["email"]).strip(),
                "idProperty": "email",
                "properties": {
                    name: "" if value is None else value  # "" clears a property in HubSpot
                    for name, value in change.fields.items()
                },
            }
            for change in batch
        ]
        response = self._post(url, {"inputs": inputs})
        if response is not None and response.status_code == 400 and len(batch) > 1:
            middle = len(batch) // 2
            return self._write(url, batch[:middle]) + self._write(url, batch[middle:])
        return _outcomes(batch, response)

    def _post(self, url: str, body: dict) -> requests.Response | None:
        return self._send("POST", url, body)

    def _send(self, method: str, url: str, body: dict) -> requests.Response | None:
        """One paced request; None once the daily allowance is spent."""
        if self.daily_spent:
            return None
        self.pacer.wait()
        response = self.session.request(method, url, json=body, timeout=60)
        self.pacer.record(response)
        self.requests += 1
        if response.status_code == 401:
            raise_for_platform(response, "HubSpot", TOKEN_SETTING)
        if response.status_code == 429 and _policy(response) == "DAILY":
            self.daily_spent = True
            return None
        if response.headers.get("X-HubSpot-RateLimit-Daily-Remaining") == "0":
            self.daily_spent = True  # this answer counts; the next request would be refused
        return response


def _policy(response: requests.Response) -> str | None:
    try:
        return response.json().get("policyName")
    except ValueError:
        return None


def _message(response: requests.Response | None) -> str:
    if response is None:
        return DAILY_LIMIT_SPENT
    try:
        body = response.json()
    except ValueError:
        body = {}
    return redact(str(body.get("message") or f"HTTP {response.status_code}"))


def _outcomes(batch: list[Change], response: requests.Response | None) -> list[Outcome]:
    if response is None or response.status_code not in (200, 201, 207):
        message = _message(response)
        return [Outcome(change.key, False, error=message) for change in batch]
    body = response.json()
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
    for change in batch:
        email = _email(change)
        result = by_email.get(email)
        if email in failed or result is None:
            error = failed.get(email, "missing from HubSpot's answer")
            outcomes.append(Outcome(change.key, False, error=error))
        else:
            outcomes.append(
                Outcome(change.key, True, str(result.get("id")), bool(result.get("new")))
            )
    return outcomes
