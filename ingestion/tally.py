"""Tally: GET /forms/{form_id}/submissions, page numbers with `hasMore`, 100 requests a minute.

Each page also lists the form's `questions`; submissions answer by `questionId` only, so the
questions are landed in `raw.tally_questions` in the same transaction for dbt to join.
Requests are spaced to stay under the per-minute limit (`requests_per_minute` option).
"""

from collections.abc import Iterator
from datetime import datetime

import duckdb

from ingestion.connector import Connector, Window, instant
from ingestion.landing import ensure_raw_table, land_page

QUESTIONS_TABLE = "tally_questions"
STAMP = "%Y-%m-%dT%H:%M:%S.000Z"


class Tally(Connector):
    platform = "tally"
    label = "Tally"
    raw_table = "tally_submissions"
    token_setting = "LEADPIPE_TALLY_TOKEN"
    default_url = "https://api.tally.so"
    page_size = 500
    related_tables = (QUESTIONS_TABLE,)
    requests_per_minute = 100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._questions: dict[tuple[str, str], dict] = {}

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        url = f"{self.base_url}/forms/{stream_id}/submissions"
        params: dict = {"page": 1, "limit": self.page_size, "filter": "all"}
        if window.start is not None:
            params["startDate"] = window.start.strftime(STAMP)
        if window.end is not None:
            params["endDate"] = window.end.strftime(STAMP)
        while True:
            body = self.get(url, params)
            for question in body.get("questions", []):
                self._questions[(stream_id, question["id"])] = question
            yield self.in_window(body.get("submissions", []), window)
            if not body.get("hasMore"):
                return
            params["page"] += 1

    def land_related(self, con: duckdb.DuckDBPyConnection, run_id: str, at: datetime) -> None:
        ensure_raw_table(con, QUESTIONS_TABLE)
        for form_id in sorted({form for form, _ in self._questions}):
            questions = [q for (form, _), q in self._questions.items() if form == form_id]
            land_page(
                con,
                QUESTIONS_TABLE,
                f"{self.platform}/{form_id}",
                questions,
                lambda q: str(q["id"]),
                run_id,
                at,
            )

    def record_id(self, record: dict) -> str:
        return str(record["id"])

    def captured_at(self, record: dict) -> datetime | None:
        return instant(record["submittedAt"]) if record.get("submittedAt") else None
