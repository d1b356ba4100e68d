"""LinkedIn Lead Sync: GET /rest/leadFormResponses for one sponsored account.

Versioned REST (`LinkedIn-Version`, `X-Restli-Protocol-Version: 2.0.0`), offset paging with
`start` / `count` inside a fixed `submittedAtTimeRange` (the end is pinned when the pull starts,
so leads arriving meanwhile cannot shift the offsets). Answers carry only a `questionId`: the
form definitions they refer to are landed in `raw.linkedin_lead_forms`, in the same transaction,
for dbt to map answers and consent responses to fields.
"""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import quote

import duckdb

from ingestion.connector import Connector, Window, from_millis
from ingestion.landing import ensure_raw_table, land_page

API_VERSION = "202510"
FORMS_TABLE = "linkedin_lead_forms"
FORM_ID = re.compile(r"urn:li:leadGenForm:(\d+)")


class LinkedInLeadSync(Connector):
    platform = "linkedin_lead_sync"
    label = "LinkedIn Lead Sync"
    raw_table = "linkedin_lead_form_responses"
    token_setting = "LEADPIPE_LINKEDIN_ACCESS_TOKEN"
    default_url = "https://api.linkedin.com"
    page_size = 500
    related_tables = (FORMS_TABLE,)
    streams_key = "accounts"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session.headers["LinkedIn-Version"] = self.options.get("version", API_VERSION)
        self.session.headers["X-Restli-Protocol-Version"] = "2.0.0"
        self._form_ids: set[str] = set()

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        start_ms = int(window.start.timestamp() * 1000) if window.start else 0
        end_ms = int((window.end or datetime.now(UTC)).timestamp() * 1000)
        owner = quote(f"urn:li:sponsoredAccount:{stream_id}", safe="")
        query = (
            f"q=owner&owner=(sponsoredAccount:{owner})&leadType=(leadType:SPONSORED)"
            f"&submittedAtTimeRange=(start:{start_ms},end:{end_ms})"
        )
        offset = 0
        while True:
            page = f"&start={offset}&count={self.page_size}"
            body = self.get(f"{self.base_url}/rest/leadFormResponses?{query}{page}")
            elements = body.get("elements", [])
            self._form_ids.update(
                match.group(1)
                for element in elements
                if (match := FORM_ID.search(element.get("versionedLeadGenFormUrn", "")))
            )
            yield elements
            offset += len(elements)
            if not elements or offset >= body.get("paging", {}).get("total", 0):
                return

    def land_related(self, con: duckdb.DuckDBPyConnection, run_id: str, at: datetime) -> None:
        """Land the definitions of forms not landed yet (a form's questions do not change
        within a version; a new version is a new form urn)."""
        ensure_raw_table(con, FORMS_TABLE)
        known = {
            row[0] for row in con.execute(f"select _record_id from raw.{FORMS_TABLE}").fetchall()
        }
        new = sorted(self._form_ids - known)
        forms = [self.get(f"{self.base_url}/rest/leadForms/{form_id}") for form_id in new]
        if forms:
            land_page(con, FORMS_TABLE, self.platform, forms, lambda f: str(f["id"]), run_id, at)

    def record_id(self, record: dict) -> str:
        return str(record["id"])

    def captured_at(self, record: dict) -> datetime | None:
        return from_millis(record["submittedAt"])
