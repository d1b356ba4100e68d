"""Typeform: GET /forms/{form_id}/responses, newest first, paged with `before` tokens.

Completed responses: `since` / `until` filter on `submitted_at`; `since` is inclusive, so the
newest response of the last run comes back and is deduplicated by its token on landing. A page
with no items ends the stream.

Partial responses (a form left half-way, often after the email) have no `submitted_at`, and
Typeform's time filters ignore them: they are paged separately, newest `landed_at` first, until a
page lands before the window. When the person finishes later, the completed response has the
same token and replaces the partial one.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from ingestion.connector import Connector, Window, instant

STAMP = "%Y-%m-%dT%H:%M:%SZ"


class Typeform(Connector):
    platform = "typeform"
    label = "Typeform"
    raw_table = "typeform_responses"
    token_setting = "LEADPIPE_TYPEFORM_TOKEN"
    default_url = "https://api.typeform.com"
    page_size = 1000

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        url = f"{self.base_url}/forms/{stream_id}/responses"
        completed = {"page_size": self.page_size, "response_type": "completed"}
        if window.start is not None:
            completed["since"] = window.start.strftime(STAMP)
        if window.end is not None:  # `until` is inclusive
            completed["until"] = (window.end - timedelta(seconds=1)).strftime(STAMP)
        yield from self._token_pages(url, completed)
        for page in self._token_pages(
            url, {"page_size": self.page_size, "response_type": "partial"}
        ):
            in_window = [item for item in page if window.contains(self.captured_at(item))]
            yield in_window
            if window.start is not None and self.captured_at(page[-1]) < window.start:
                return

    def _token_pages(self, url: str, params: dict) -> Iterator[list[dict]]:
        while True:
            items = self.get(url, params).get("items", [])
            if not items:
                return
            yield items
            params["before"] = items[-1]["token"]

    def record_id(self, record: dict) -> str:
        return str(record["token"])

    def captured_at(self, record: dict) -> datetime | None:
        at = record.get("submitted_at") or record.get("landed_at")
        return instant(at) if at else None
