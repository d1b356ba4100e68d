"""Stand-in for HubSpot CRM contacts: batch upsert, and search (what sales did with them).

Reproduces what a client must cope with: at most 100 inputs per batch (400 VALIDATION_ERROR),
the same id twice in one batch rejected, email ids matched case-insensitively, invalid emails
reported per record in a 207 multi-status, a property the portal does not have refusing the whole
batch (400 PROPERTY_DOESNT_EXIST), 401 INVALID_AUTHENTICATION, and a rolling ten-second
request limit with the X-HubSpot-RateLimit-* headers and a 429 RATE_LIMIT body when exceeded.

Also: `batch/update` by email (a contact the portal lacks fails in a 207), `batch/archive` by id
(204), `gdpr-delete` by email or record id (204, 404 when unknown), and list membership
`add-and-remove` on MANUAL lists by record id (`recordIdsMissing` for ids the portal lacks;
both `recordIdsToAdd` and `recordIdsToRemove` required), a list fetched by name (404 when none)
and created (`POST /crm/v3/lists`). `lists` holds each list's member ids, `list_names` the ids of
lists created by name. Paths answer under `/crm/v3/...` and the dated
`/crm/<area>/2026-03/...`. `daily_limit` spends a daily allowance: past it, 429 with policyName
DAILY.

`POST /crm/v3/objects/contacts/search` filters on `lastmodifieddate` (GTE / LT, ms), sorts by it,
pages by `after` up to 200 a page, and refuses to page past 10,000 results (400), as HubSpot does.
`work_leads()` plays the sales team: first sales activity, lifecycle stage, won deals.
`unsubscribe()` plays a contact clicking "unsubscribe from all email": HubSpot's read-only
`hs_email_optout` turns "true" and the contact's modification time moves on.
"""

import random
import re
import threading
import time
import uuid
from collections import deque
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from sandbox.standins.server import Request, Response, StandIn

MAX_BATCH_INPUTS = 100
# Contact properties of the portal: HubSpot's own plus the custom ones leadpipe writes.
KNOWN_PROPERTIES = frozenset(
    {
        "email",
        "firstname",
        "lastname",
        "phone",
        "company",
        "jobtitle",
        "country",
        "leadpipe_tier",
        "leadpipe_score",
        "leadpipe_score_reasons",
        "leadpipe_lead_id",
    }
)
WINDOW_SECONDS = 10.0
SEARCH_CAP, SEARCH_LIMIT = 10_000, 200
MAX_LIST_CHANGE = 100_000
_PATH = re.compile(
    r"/crm/(?:v3/(?P<area>objects|lists)|(?P<dated>objects|lists)/\d{4}-\d{2})(?:/(?P<rest>.*))?"
)
_LIST_BY_NAME = re.compile(r"object-type-id/0-1/name/(?P<name>[^/]+)")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _error(status: int, category: str, message: str, **extra) -> Response:
    body = {
        "status": "error",
        "message": message,
        "category": category,
        "correlationId": str(uuid.uuid4()),
        **extra,
    }
    return Response(status, body)


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _now() -> str:
    return _stamp(datetime.now(UTC))


def _millis(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)


class HubSpotStandIn(StandIn):
    """`contacts` holds the CRM's state: lowercased email -> {"id", "properties"}."""

    def __init__(
        self,
        token: str = "sandbox-hubspot-token",
        requests_per_10s: int | None = 190,
        window_seconds: float = WINDOW_SECONDS,
        daily_limit: int | None = None,
        lists: list[str] = (),
    ):
        super().__init__(token)
        self.requests_per_10s = requests_per_10s
        self.window_seconds = window_seconds
        self.contacts: dict[str, dict] = {}
        self.refused_emails: set[str] = set()  # addresses the portal refuses, record by record
        self.rate_limited = 0
        self._window: deque[float] = deque()
        self._state = threading.Lock()
        self._next_id = 1001
        self.search_cap = SEARCH_CAP
        self.daily_limit = daily_limit
        self.daily_used = 0
        self.lists: dict[str, set[str]] = {i: set() for i in lists}  # MANUAL list -> members
        self.list_names: dict[str, str] = {}  # list name -> id, for lists created by name
        self.dynamic_lists: set[str] = set()  # names of active lists (HubSpot picks members)
        self.gdpr_deleted: list[str] = []  # emails deleted under GDPR

    def unauthorized(self, request: Request) -> Response | None:
        if request.bearer_token() != self.token:
            return _error(
                401,
                "INVALID_AUTHENTICATION",
                "Authentication credentials not found. This API supports OAuth 2.0 authentication",
            )
        return None

    def handle(self, request: Request) -> Response:
        limited = self._rate_limit()
        if limited is not None:
            with self._lock:
                self.requests.append((request.method, request.path))
            return limited
        response = super().handle(request)
        response.headers.update(self._limit_headers())
        return response

    def _rate_limit(self) -> Response | None:
        with self._state:
            if self.daily_limit is not None:
                if self.daily_used >= self.daily_limit:
                    return _error(
                        429,
                        "RATE_LIMITS",
                        "You have reached your daily limit.",
                        errorType="RATE_LIMIT",
                        policyName="DAILY",
                    )
                self.daily_used += 1
        if self.requests_per_10s is None:
            return None
        with self._state:
            now = time.monotonic()
            while self._window and now - self._window[0] >= self.window_seconds:
                self._window.popleft()
            if len(self._window) >= self.requests_per_10s:
                self.rate_limited += 1
                response = _error(
                    429,
                    "RATE_LIMITS",
                    "You have reached your ten_secondly_rolling limit.",
                    errorType="RATE_LIMIT",
                    policyName="TEN_SECONDLY_ROLLING",
                )
                response.headers.update(self._limit_headers(locked=True))
                return response
            self._window.append(now)
        return None

    def _limit_headers(self, locked: bool = False) -> dict[str, str]:
        headers = {}
        if self.daily_limit is not None:
            headers["X-HubSpot-RateLimit-Daily-Remaining"] = str(
                max(0, self.daily_limit - self.daily_used)
            )
        if self.requests_per_10s is None:
            return headers
        used = len(self._window)
        return {
            **headers,
            "X-HubSpot-RateLimit-Max": str(self.requests_per_10s),
            "X-HubSpot-RateLimit-Remaining": str(max(0, self.requests_per_10s - used)),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(int(self.window_seconds * 1000)),
        }

    def route(self, request: Request) -> Response:
        match = _PATH.fullmatch(request.path)
        area = match and (match["area"] or match["dated"])
        route = (request.method, area, match and (match["rest"] or None))
        body = request.body or {}
        if route == ("POST", "objects", "contacts/batch/upsert"):
            return self._batch_write(body, create=True)
        if route == ("POST", "objects", "contacts/batch/update"):
            return self._batch_write(body, create=False)
        if route == ("POST", "objects", "contacts/batch/archive"):
            return self._archive(body)
        if route == ("POST", "objects", "contacts/gdpr-delete"):
            return self._gdpr_delete(body)
        if route == ("POST", "objects", "contacts/search"):
            return self._search(body)
        if route == ("POST", "lists", None):
            return self._create_list(body)
        by_name = area == "lists" and _LIST_BY_NAME.fullmatch(route[2] or "")
        if request.method == "GET" and by_name:
            return self._list_by_name(unquote(by_name["name"]))
        if (
            request.method == "PUT"
            and area == "lists"
            and route[2].endswith("/memberships/add-and-remove")
        ):
            return self._change_list(route[2].split("/")[0], body)
        return _error(404, "OBJECT_NOT_FOUND", f"No route for {request.method} {request.path}")

    def list_named(self, name: str) -> set[str]:
        """The members of the list created under `name` (none before it is created)."""
        return self.lists.get(self.list_names.get(name, ""), set())

    def _list_definition(self, name: str) -> dict:
        kind = "DYNAMIC" if name in self.dynamic_lists else "MANUAL"
        return {
            "list": {
                "listId": self.list_names.get(name, ""),
                "name": name,
                "objectTypeId": "0-1",
                "processingType": kind,
            }
        }

    def _list_by_name(self, name: str) -> Response:
        if name not in self.list_names and name not in self.dynamic_lists:
            return _error(404, "OBJECT_NOT_FOUND", f"List with name {name} does not exist")
        return Response(200, self._list_definition(name))

    def _create_list(self, body: dict) -> Response:
        missing = [k for k in ("name", "objectTypeId", "processingType") if not body.get(k)]
        if missing:
            return _error(400, "VALIDATION_ERROR", f"Missing required fields: {missing}")
        with self._state:
            if body["name"] in self.list_names:
                return _error(400, "VALIDATION_ERROR", "A list with this name already exists")
            list_id = str(len(self.lists) + 5001)
            self.lists[list_id] = set()
            self.list_names[body["name"]] = list_id
        return Response(200, self._list_definition(body["name"]))

    def _by_id(self) -> dict[str, str]:
        return {contact["id"]: email for email, contact in self.contacts.items()}

    def _archive(self, body: dict) -> Response:
        inputs = body.get("inputs") or []
        if len(inputs) > MAX_BATCH_INPUTS:
            return _error(400, "VALIDATION_ERROR", f"Batch size exceeds {MAX_BATCH_INPUTS}")
        with self._state:
            by_id = self._by_id()
            for item in inputs:  # HubSpot answers 204 even for ids it does not have
                email = by_id.get(str(item.get("id")))
                if email:
                    del self.contacts[email]
                    for members in self.lists.values():
                        members.discard(str(item.get("id")))
        return Response(204)

    def _gdpr_delete(self, body: dict) -> Response:
        object_id = str(body.get("objectId", "")).strip()
        with self._state:
            if body.get("idProperty") == "email":
                email = object_id.lower()
            elif body.get("idProperty") in (None, "hs_object_id"):
                email = self._by_id().get(object_id, "")
            else:
                return _error(400, "VALIDATION_ERROR", "stand-in: email or record id only")
            contact = self.contacts.pop(email, None)
            if contact is None:
                return _error(404, "OBJECT_NOT_FOUND", "resource not found")
            for members in self.lists.values():
                members.discard(contact["id"])
            self.gdpr_deleted.append(email)
        return Response(204)

    def _change_list(self, list_id: str, body: dict) -> Response:
        if not {"recordIdsToAdd", "recordIdsToRemove"} <= set(body):
            return _error(
                400, "VALIDATION_ERROR", "recordIdsToAdd and recordIdsToRemove are both required"
            )
        to_add = [str(i) for i in body.get("recordIdsToAdd") or []]
        to_remove = [str(i) for i in body.get("recordIdsToRemove") or []]
        if len(to_add) + len(to_remove) > MAX_LIST_CHANGE:
            return _error(400, "VALIDATION_ERROR", f"At most {MAX_LIST_CHANGE} record ids")
        with self._state:
            members = self.lists.get(list_id)
            if members is None:
                return _error(404, "OBJECT_NOT_FOUND", f"List {list_id} does not exist")
            known = set(self._by_id())
            missing = [i for i in to_add + to_remove if i not in known]
            added = [i for i in to_add if i in known and i not in members]
            already = [i for i in to_add if i in members]
            removed = [i for i in to_remove if i in members]
            members.update(added)
            members.difference_update(removed)
        return Response(
            200,
            {
                "recordsIdsAdded": added,  # sic: HubSpot's own spelling
                "recordIdsAlreadyMember": already,
                "recordIdsRemoved": removed,
                "recordIdsMissing": missing,
            },
        )

    def _batch_write(self, body: dict, create: bool) -> Response:
        inputs = body.get("inputs") or []
        if not inputs:
            return _error(400, "VALIDATION_ERROR", "inputs must not be empty")
        if len(inputs) > MAX_BATCH_INPUTS:
            return _error(
                400,
                "VALIDATION_ERROR",
                f"Batch size {len(inputs)} exceeds the limit of {MAX_BATCH_INPUTS} inputs",
            )
        ids = [str(item.get("id", "")).strip().lower() for item in inputs]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            return _error(
                400, "VALIDATION_ERROR", f"Duplicate IDs found in batch input: {duplicates}"
            )
        unknown = sorted(
            {name for item in inputs for name in (item.get("properties") or {})} - KNOWN_PROPERTIES
        )
        if unknown:  # HubSpot refuses the whole batch, not just the record
            details = [
                {
                    "isValid": False,
                    "message": f'Property "{name}" does not exist',
                    "error": "PROPERTY_DOESNT_EXIST",
                    "name": name,
                }
                for name in unknown
            ]
            return _error(400, "VALIDATION_ERROR", f"Property values were not valid: {details}")
        started = _now()
        results, errors = [], []
        with self._state:
            for item, key in zip(inputs, ids, strict=True):
                if (
                    item.get("idProperty") != "email"
                    or not _EMAIL.match(key)
                    or key in self.refused_emails
                ):
                    errors.append(
                        {
                            "status": "error",
                            "category": "VALIDATION_ERROR",
                            "message": "Property values were not valid: email is not a valid email",
                            "context": {"ids": [item.get("id")]},
                        }
                    )
                    continue
                existing = self.contacts.get(key)
                is_new = existing is None
                if is_new and not create:
                    errors.append(
                        {
                            "status": "error",
                            "category": "OBJECT_NOT_FOUND",
                            "message": "Could not get some CONTACT objects, they may be deleted "
                            "or not exist.",
                            "context": {"ids": [item.get("id")]},
                        }
                    )
                    continue
                if is_new:
                    existing = {
                        "id": str(self._next_id),
                        "properties": {"email": key},
                        "createdAt": started,
                    }
                    self._next_id += 1
                    self.contacts[key] = existing
                for name, value in (item.get("properties") or {}).items():
                    if value == "":  # an empty string clears the property
                        existing["properties"].pop(name, None)
                    elif value is not None:
                        existing["properties"][name] = value
                existing["properties"]["email"] = key  # HubSpot stores emails normalised
                existing["updatedAt"] = started
                results.append(
                    {
                        "id": existing["id"],
                        "properties": dict(existing["properties"]),
                        "createdAt": existing["createdAt"],
                        "updatedAt": started,
                        "archived": False,
                        "new": is_new,
                    }
                )
        body = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": started,
            "completedAt": _now(),
        }
        if errors:
            body["numErrors"] = len(errors)
            body["errors"] = errors
            return Response(207, body)
        return Response(200, body)

    def _search(self, body: dict) -> Response:
        low, high = 0, 2**63
        for group in body.get("filterGroups", []):
            for rule in group.get("filters", []):
                if rule.get("propertyName") != "lastmodifieddate":
                    return _error(
                        400, "VALIDATION_ERROR", "stand-in: lastmodifieddate filters only"
                    )
                if rule.get("operator") == "GTE":
                    low = int(rule["value"])
                elif rule.get("operator") == "LT":
                    high = int(rule["value"])
        limit = min(int(body.get("limit", 10)), SEARCH_LIMIT)
        after = int(body.get("after") or 0)
        if after + limit > self.search_cap:
            return _error(
                400,
                "VALIDATION_ERROR",
                f"Search results are limited to {self.search_cap} results per query.",
            )
        with self._state:
            matching = sorted(
                (c for c in self.contacts.values() if low <= _millis(c["updatedAt"]) < high),
                key=lambda c: (_millis(c["updatedAt"]), int(c["id"])),
            )
            wanted = set(body.get("properties") or ["email"])
            results = [
                {
                    "id": c["id"],
                    "properties": {
                        **{k: v for k, v in c["properties"].items() if k in wanted},
                        "hs_object_id": c["id"],
                        "createdate": c["createdAt"],
                        "lastmodifieddate": c["updatedAt"],
                    },
                    "createdAt": c["createdAt"],
                    "updatedAt": c["updatedAt"],
                    "archived": False,
                }
                for c in matching[after : after + limit]
            ]
        answer: dict = {"total": len(matching), "results": results}
        if after + limit < len(matching):
            answer["paging"] = {"next": {"after": str(after + limit)}}
        return Response(200, answer)

    def work_leads(self, seed: int = 1) -> None:
        """Sales works every contact: a first activity minutes to days after creation, a
        lifecycle stage, and for some a won deal; each contact's modification time moves on."""
        rng = random.Random(seed)
        now = datetime.now(UTC)
        with self._state:
            for i, contact in enumerate(self.contacts.values()):
                created = datetime.fromisoformat(contact["createdAt"].replace("Z", "+00:00"))
                delay = timedelta(minutes=rng.choice((4, 12, 35, 50, 90, 300, 1500, 4000)))
                stage = rng.choices(
                    ("salesqualifiedlead", "opportunity", "customer", "other"), (40, 25, 20, 15)
                )[0]
                properties = {
                    "hs_sa_first_engagement_date": _stamp(created + delay),
                    "lifecyclestage": stage,
                }
                if stage == "customer":
                    properties["recent_deal_close_date"] = _stamp(created + delay * 5)
                    properties["recent_deal_amount"] = str(rng.randint(2, 40) * 500)
                contact["properties"].update(properties)
                contact["updatedAt"] = _stamp(now + timedelta(milliseconds=i))

    def unsubscribe(self, email: str) -> None:
        """The contact with this email opts out of all email (HubSpot sets hs_email_optout)."""
        with self._state:
            contact = self.contacts[email.lower()]
            contact["properties"]["hs_email_optout"] = "true"
            contact["updatedAt"] = _now()
