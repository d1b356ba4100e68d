"""Stand-in for People Data Labs' bulk person enrichment: POST /v5/person/bulk.

`X-Api-Key` header (401 `invalid_auth` otherwise); 1 to 100 `requests`, each `{"params":
{"email": [...], "min_likelihood": n}}` (400 beyond). The answer is an array in request order:
`{"status": 200, "likelihood", "data": {...}}` for a match (values in lowercase, as PDL gives
them), `{"status": 404, "error": ...}` for a miss. It knows about 60% of the generated people
with a company address. A fixed window of `per_minute` requests a minute (`window_seconds`
shortens it for tests), announced in `x-ratelimit-remaining` (`{"minute": n}`) and
`x-ratelimit-reset` (UTC); past it, 429 `rate_limit_error`. Each match spends a credit; with
none left, 402.
"""

import hashlib
import time
from datetime import UTC, datetime

from sandbox.generator import Person, SandboxData
from sandbox.standins.server import Request, Response, StandIn

MAX_REQUESTS = 100
COUNTRY_NAMES = {"FR": "france", "GB": "united kingdom", "US": "united states"}


def _error(status: int, kind: str, message: str) -> Response:
    return Response(status, {"status": status, "error": {"type": kind, "message": message}})


class PeopleDataLabsStandIn(StandIn):
    def __init__(
        self,
        data: SandboxData,
        token: str = "sandbox-pdl-key",
        per_minute: int = 1000,
        credits: int = 1_000_000,
        window_seconds: int = 60,
    ):
        super().__init__(token)
        self.per_minute = per_minute
        self.window_seconds = window_seconds
        self.credits = credits
        self.rate_limited = 0
        self.asked: list[str] = []  # every email asked about, in order
        self._window = (0, 0)  # (window number, requests in it)
        self.data = data
        self._known: dict[str, Person] = {}
        self._indexed = 0

    def unauthorized(self, request: Request) -> Response | None:
        if request.headers.get("x-api-key") != self.token:
            return _error(401, "invalid_auth", "Invalid API Key")
        return None

    def route(self, request: Request) -> Response:
        if request.method != "POST" or request.path != "/v5/person/bulk":
            return _error(404, "not_found", "No such endpoint")
        allowed, headers = self._count_request()
        if not allowed:
            response = _error(429, "rate_limit_error", "Rate limit exceeded for this API key")
            return Response(429, response.body, headers)
        requests = (request.body or {}).get("requests") if isinstance(request.body, dict) else None
        if not requests or len(requests) > MAX_REQUESTS:
            return _error(400, "invalid_request_error", "requests must hold 1 to 100 objects")
        answers = [self._answer(item.get("params") or {}) for item in requests]
        if self.credits < 0:
            return _error(402, "payment_required", "You have hit your account maximum")
        return Response(200, answers, headers)

    def _answer(self, params: dict) -> dict:
        emails = params.get("email") or []
        email = (emails[0] if isinstance(emails, list) and emails else str(emails)).lower()
        self.asked.append(email)
        person = self._dataset().get(email)
        likelihood = 8
        if person is None or likelihood < int(params.get("min_likelihood", 0)):
            return {"status": 404, "error": {"type": "not_found", "message": "No records found"}}
        self.credits -= 1
        return {
            "status": 200,
            "likelihood": likelihood,
            "data": {
                "full_name": f"{person.first_name} {person.last_name}".lower(),
                "job_title": (person.job_title or "").lower() or None,
                "job_company_name": person.company.lower(),
                "location_country": COUNTRY_NAMES.get(person.country),
                "work_email": email,
            },
        }

    def _dataset(self) -> dict[str, Person]:
        """The people the provider knows, indexed again when the generator added some."""
        with self._lock:
            if self._indexed != len(self.data.people):
                self._indexed = len(self.data.people)
                self._known = {
                    person.email.lower(): person
                    for person in self.data.people.values()
                    if person.email and person.company and _known(person.email)
                }
            return self._known

    def _count_request(self) -> tuple[bool, dict[str, str]]:
        with self._lock:
            window = int(time.time() // self.window_seconds)
            used = self._window[1] + 1 if self._window[0] == window else 1
            self._window = (window, used)
        allowed = used <= self.per_minute
        if not allowed:
            self.rate_limited += 1
        reset = datetime.fromtimestamp((window + 1) * self.window_seconds, UTC).isoformat()
        remaining = max(0, self.per_minute - used)
        return allowed, {
            "x-ratelimit-remaining": f'{{"minute": {remaining}}}',
            "x-ratelimit-reset": reset,
        }


def _known(email: str) -> bool:
    """Deterministically, about 60% of addresses are in the provider's dataset."""
    return hashlib.sha256(email.lower().encode()).digest()[0] < 154
