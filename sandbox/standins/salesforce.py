"""Stand-in for Salesforce: client-credentials OAuth and SOQL queries on Lead.

`POST /services/oauth2/token` (form `grant_type=client_credentials`, client id and secret)
answers `{access_token, instance_url, ...}` with no lifetime; `expire_sessions()` ends every
session early, as an org's session timeout does (401 INVALID_SESSION_ID).
`GET /services/data/vXX.X/query?q=SELECT ... FROM Lead [WHERE LastModifiedDate >= t [AND
LastModifiedDate < t]] ORDER BY LastModifiedDate ASC` answers `{totalSize, done, records,
nextRecordsUrl}` in batches of `batch_size` (2,000 on the real platform); each response carries
`Sforce-Limit-Info: api-usage=N/M`, and past `daily_limit` requests 403 REQUEST_LIMIT_EXCEEDED.
`leads` holds the org's Lead records in the shape the query returns them; `opt_out()` plays a
lead ticking Email Opt Out (`HasOptedOutOfEmail`) or sales marking Do Not Call.

The sync's side: `PATCH .../composite/sobjects/Lead/Leadpipe_Lead_Id__c` upserts at most 200
records (more is 400 EXCEEDED_ID_LIMIT) with one result per record in input order, and Bulk API
2.0 ingest jobs (`POST /jobs/ingest`, CSV `PUT .../batches`, `PATCH` UploadComplete, the job
`InProgress` on the first poll then `JobComplete`, `successfulResults/` and `failedResults/` as
CSV). Both refuse a Lead without LastName or Company (REQUIRED_FIELD_MISSING), with a value
over 255 characters (STRING_TOO_LONG) or a bad email (INVALID_EMAIL_ADDRESS). `upserted` maps
each external id to the Lead written.
"""

import csv
import io
import random
import re
import secrets
from datetime import UTC, datetime, timedelta

from sandbox.standins.server import Request, Response, StandIn

QUERY_PATH = re.compile(r"/services/data/v\d+\.\d/query(?:/(?P<cursor>[\w-]+))?")
BOUNDS = re.compile(r"LastModifiedDate (>=|<) (\S+Z)")
STAMP = "%Y-%m-%dT%H:%M:%S.000+0000"
API_PATH = re.compile(r"/services/data/v\d+\.\d(?P<rest>/.*)")
UPSERT_PATH = "/composite/sobjects/Lead/Leadpipe_Lead_Id__c"
JOB_PATH = re.compile(
    r"/jobs/ingest/(?P<job>\w+)(?P<part>/batches|/successfulResults/?|/failedResults/?)?"
)
MAX_COLLECTION = 200
MAX_TEXT = 255  # Company, LastName, Title...: longer text is refused
REQUIRED = ("LastName", "Company")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _error(status: int, code: str, message: str) -> Response:
    return Response(status, [{"message": message, "errorCode": code}])


def _at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("+0000", "+00:00").replace("Z", "+00:00"))


class SalesforceStandIn(StandIn):
    def __init__(
        self,
        client_id: str = "sandbox-salesforce-client",
        client_secret: str = "sandbox-salesforce-secret",
        batch_size: int = 2000,
        daily_limit: int = 100_000,
    ):
        super().__init__(client_secret)
        self.client = (client_id, client_secret)
        self.batch_size = batch_size
        self.daily_limit = daily_limit
        self.used = 0
        self.leads: list[dict] = []
        self.grants = 0
        self._sessions: set[str] = set()
        self._cursors: dict[str, list[dict]] = {}
        self.upserted: dict[str, dict] = {}  # external id -> the Lead's fields and Id
        self.jobs: dict[str, dict] = {}
        self._next_lead = 1

    def unauthorized(self, request: Request) -> Response | None:
        if request.path == "/services/oauth2/token":
            return None
        if request.bearer_token() not in self._sessions:
            return _error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        return None

    def expire_sessions(self) -> None:
        self._sessions.clear()

    def route(self, request: Request) -> Response:
        if request.path == "/services/oauth2/token":
            return self._grant(request)
        api = API_PATH.fullmatch(request.path)
        match = QUERY_PATH.fullmatch(request.path)
        if not api:
            return _error(404, "NOT_FOUND", "The requested resource does not exist")
        self.used += 1
        limit_info = {"Sforce-Limit-Info": f"api-usage={self.used}/{self.daily_limit}"}
        if self.used > self.daily_limit:
            return Response(
                403,
                [
                    {
                        "message": "TotalRequests Limit exceeded.",
                        "errorCode": "REQUEST_LIMIT_EXCEEDED",
                    }
                ],
                limit_info,
            )
        rest = api.group("rest")
        if rest == "/composite/sobjects" and request.method == "DELETE":
            return self._delete(request.query.get("ids", "").split(","))
        if rest == UPSERT_PATH and request.method == "PATCH":
            return self._upsert_collection(request.body or {})
        job = JOB_PATH.fullmatch(rest)
        if rest == "/jobs/ingest" and request.method == "POST":
            return self._create_job(request.body or {})
        if job:
            return self._job(request, job.group("job"), job.group("part"))
        if not match:
            return _error(404, "NOT_FOUND", "The requested resource does not exist")
        if match.group("cursor"):
            rest = self._cursors.pop(match.group("cursor"), None)
            if rest is None:
                return _error(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        else:
            rest = self._select(request.query.get("q", ""))
        body: dict = {"totalSize": len(rest), "done": len(rest) <= self.batch_size}
        body["records"] = rest[: self.batch_size]
        if not body["done"]:
            cursor = f"01g{secrets.token_hex(6)}-{self.batch_size}"
            self._cursors[cursor] = rest[self.batch_size :]
            body["nextRecordsUrl"] = request.path.split("/query")[0] + f"/query/{cursor}"
        return Response(200, body, limit_info)

    def _write_lead(self, fields: dict) -> tuple[dict | None, list[dict]]:
        """Upsert one Lead on its external id: (result, errors)."""
        missing = [name for name in REQUIRED if not fields.get(name)]
        if missing:
            return None, [
                {
                    "statusCode": "REQUIRED_FIELD_MISSING",
                    "message": f"Required fields are missing: {missing}",
                    "fields": missing,
                }
            ]
        too_long = [name for name, value in fields.items() if len(str(value or "")) > MAX_TEXT]
        if too_long:
            return None, [
                {
                    "statusCode": "STRING_TOO_LONG",
                    "message": f"{too_long[0]}: data value too large",
                    "fields": too_long,
                }
            ]
        if fields.get("Email") and not _EMAIL.match(str(fields["Email"])):
            return None, [
                {
                    "statusCode": "INVALID_EMAIL_ADDRESS",
                    "message": f"Email: invalid email address: {fields['Email']}",
                    "fields": ["Email"],
                }
            ]
        key = str(fields["Leadpipe_Lead_Id__c"])
        existing = self.upserted.get(key)
        created = existing is None
        if created:
            existing = {"Id": f"00Q{self._next_lead:015d}"}
            self._next_lead += 1
            self.upserted[key] = existing
        for name, value in fields.items():
            if value is None or value == "#N/A":
                existing.pop(name, None)
            elif value != "":
                existing[name] = value
        return {"id": existing["Id"], "created": created}, []

    def _upsert_collection(self, body: dict) -> Response:
        records = body.get("records") or []
        if len(records) > MAX_COLLECTION:
            return _error(400, "EXCEEDED_ID_LIMIT", f"record limit is {MAX_COLLECTION}")
        results = []
        for record in records:
            fields = {k: v for k, v in record.items() if k != "attributes"}
            if (record.get("attributes") or {}).get("type") != "Lead":
                result, errors = None, [{"statusCode": "INVALID_TYPE", "message": "no type"}]
            else:
                result, errors = self._write_lead(fields)
            results.append(
                {"id": None, "success": False, "errors": errors}
                if errors
                else {**result, "success": True, "errors": []}
            )
        return Response(200, results)

    def _delete(self, ids: list[str]) -> Response:
        if len(ids) > MAX_COLLECTION:
            return _error(400, "EXCEEDED_ID_LIMIT", f"record limit is {MAX_COLLECTION}")
        by_id = {lead["Id"]: key for key, lead in self.upserted.items()}
        results = []
        for lead_id in ids:
            key = by_id.get(lead_id)
            if key is None:
                error = {"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted"}
                results.append({"id": lead_id, "success": False, "errors": [error]})
            else:
                del self.upserted[key]
                results.append({"id": lead_id, "success": True, "errors": []})
        return Response(200, results)

    def _create_job(self, body: dict) -> Response:
        if body.get("operation") != "upsert" or body.get("object") != "Lead":
            return _error(400, "INVALIDJOB", "stand-in: Lead upsert jobs only")
        job_id = f"750{secrets.token_hex(6)}"
        self.jobs[job_id] = {"id": job_id, "state": "Open", **body, "csv": "", "polls": 0}
        return Response(200, {k: v for k, v in self.jobs[job_id].items() if k != "csv"})

    def _job(self, request: Request, job_id: str, part: str | None) -> Response:
        job = self.jobs.get(job_id)
        if job is None:
            return _error(404, "NOT_FOUND", "The requested resource does not exist")
        if part == "/batches" and request.method == "PUT":
            if job["state"] != "Open":
                return _error(409, "INVALIDJOBSTATE", "the job is not open")
            job["csv"] += request.raw.decode()
            return Response(201)
        if part is None and request.method == "PATCH":
            job["state"] = (request.body or {}).get("state", job["state"])
            if job["state"] == "UploadComplete":
                self._process(job)
            return Response(200, self._job_info(job, "UploadComplete"))
        if part is None and request.method == "GET":
            job["polls"] += 1
            state = "InProgress" if job["polls"] == 1 else job["state"]
            return Response(200, self._job_info(job, state))
        if part and "Results" in part and request.method == "GET":  # with or without the slash
            rows = job["succeeded"] if part.startswith("/successful") else job["failed"]
            return Response(200, _to_csv(rows), content_type="text/csv")
        return _error(405, "METHOD_NOT_ALLOWED", "not allowed")

    @staticmethod
    def _job_info(job: dict, state: str) -> dict:
        """Bulk API 2.0 job info: counted once the job is done, as Salesforce does."""
        done = state == "JobComplete"
        return {
            **{k: v for k, v in job.items() if k not in ("csv", "polls", "succeeded", "failed")},
            "state": state,
            "numberRecordsProcessed": len(job["succeeded"]) + len(job["failed"]) if done else 0,
            "numberRecordsFailed": len(job["failed"]) if done else 0,
        }

    def _process(self, job: dict) -> None:
        job["succeeded"], job["failed"] = [], []
        for row in csv.DictReader(io.StringIO(job["csv"])):
            result, errors = self._write_lead(dict(row))
            if errors:
                error = f"{errors[0]['statusCode']}:{errors[0]['message']}"
                job["failed"].append({"sf__Id": "", "sf__Error": error, **row})
            else:
                created = "true" if result["created"] else "false"
                job["succeeded"].append({"sf__Id": result["id"], "sf__Created": created, **row})
        job["state"] = "JobComplete"

    def _select(self, soql: str) -> list[dict]:
        low, high = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
        for operator, stamp in BOUNDS.findall(soql):
            if operator == ">=":
                low = _at(stamp)
            else:
                high = _at(stamp)
        matching = [r for r in self.leads if low <= _at(r["LastModifiedDate"]) < high]
        return sorted(matching, key=lambda r: r["LastModifiedDate"])

    def _grant(self, request: Request) -> Response:
        form = request.form()
        # the client may authenticate in the form or with HTTP Basic (RFC 6749 2.3.1)
        given = request.basic_auth() or (form.get("client_id"), form.get("client_secret"))
        if tuple(given) != tuple(self.client) or form.get("grant_type") != "client_credentials":
            return Response(
                400, {"error": "invalid_client", "error_description": "invalid client credentials"}
            )
        token = f"00D{secrets.token_urlsafe(24)}"
        self._sessions.add(token)
        self.grants += 1
        return Response(
            200,
            {
                "access_token": token,
                "instance_url": self.base_url,
                "id": f"{self.base_url}/id/00Dxx0000001gEREAY/005xx000001SwiUAAS",
                "token_type": "Bearer",
                "issued_at": str(int(datetime.now(UTC).timestamp() * 1000)),
                "signature": secrets.token_urlsafe(16),
            },
        )

    def add_worked_leads(self, lead_ids: list[str], seed: int = 1) -> None:
        """Leads the sync created, worked by sales: a first task minutes to days after creation,
        a status, and for some a conversion to a won opportunity."""
        rng = random.Random(seed)
        # stamps are whole seconds: round up, so each Lead is modified after any change made
        # elsewhere before this call (a HubSpot contact worked a moment ago)
        now = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
        for i, lead_id in enumerate(lead_ids, start=len(self.leads)):
            created = now - timedelta(days=rng.randint(1, 20))
            delay = timedelta(minutes=rng.choice((3, 20, 45, 75, 240, 1440, 3000)))
            status = rng.choices(
                ("Working - Contacted", "Closed - Not Converted", "Closed - Converted"),
                (50, 20, 30),
            )[0]
            converted = status == "Closed - Converted"
            won = converted and rng.random() < 0.6
            self.leads.append(
                {
                    "attributes": {
                        "type": "Lead",
                        "url": f"/services/data/v62.0/sobjects/Lead/{i}",
                    },
                    "Id": f"00Q{i:015d}",
                    "Email": f"lead{i}@example.com",
                    "Phone": None,
                    "Country": None,
                    "Leadpipe_Lead_Id__c": lead_id,
                    "HasOptedOutOfEmail": False,
                    "DoNotCall": False,
                    "Status": status,
                    "IsConverted": converted,
                    "ConvertedDate": str((created + delay * 3).date()) if converted else None,
                    "CreatedDate": created.strftime(STAMP),
                    "LastModifiedDate": (now + timedelta(seconds=i + 1)).strftime(STAMP),
                    "ConvertedOpportunity": (
                        {
                            "attributes": {"type": "Opportunity"},
                            "IsWon": won,
                            "Amount": rng.randint(2, 40) * 500.0,
                            "CloseDate": str((created + delay * 5).date()),
                        }
                        if converted
                        else None
                    ),
                    "Tasks": {
                        "totalSize": 1,
                        "done": True,
                        "records": [
                            {
                                "attributes": {"type": "Task"},
                                "CreatedDate": (created + delay).strftime(STAMP),
                            }
                        ],
                    },
                }
            )

    def opt_out(self, lead_id: str, email: bool = True, call: bool = False) -> None:
        """The Lead synced for `lead_id` opts out of email and/or calls; its LastModifiedDate
        moves on, as any field change does. The query shows the email and phone the sync
        wrote (one Lead record on the real platform)."""
        if not any(r["Leadpipe_Lead_Id__c"] == lead_id for r in self.leads):
            self.add_worked_leads([lead_id])
        lead = next(r for r in self.leads if r["Leadpipe_Lead_Id__c"] == lead_id)
        written = self.upserted.get(lead_id, {})
        lead.update({k: written[k] for k in ("Email", "Phone", "Country") if k in written})
        lead["HasOptedOutOfEmail"] = lead["HasOptedOutOfEmail"] or email
        lead["DoNotCall"] = lead["DoNotCall"] or call
        latest = max(_at(r["LastModifiedDate"]) for r in self.leads) + timedelta(seconds=1)
        lead["LastModifiedDate"] = max(latest, datetime.now(UTC)).strftime(STAMP)


def _to_csv(rows: list[dict]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
