"""HubSpot form submissions: GET /form-integrations/v1/submissions/forms/{guid}.

Newest first, at most 50 per page, cursor `after` from `paging.next.after`, and no time filter:
paging stops at the first submission at or before the window's start (the watermark).
"""

from collections.abc import Iterator
from datetime import datetime

from ingestion.connector import Connector, Window, from_millis

MAX_LIMIT = 50


class HubSpotForms(Connector):
    platform = "hubspot_forms"
    label = "HubSpot forms"
    raw_table = "hubspot_form_submissions"
    token_setting = "LEADPIPE_HUBSPOT_TOKEN"
    default_url = "https://api.hubapi.com"
    page_size = MAX_LIMIT

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        url = f"{self.base_url}/form-integrations/v1/submissions/forms/{stream_id}"
        params = {"limit": min(self.page_size, MAX_LIMIT)}
        while True:
            body = self.get(url, params)
            results = body.get("results", [])
            yield self.in_window(results, window)
            after = body.get("paging", {}).get("next", {}).get("after")
            reached_watermark = window.start is not None and any(
                self.captured_at(r) < window.start for r in results
            )
            if not after or reached_watermark:
                return
            params["after"] = after

    def record_id(self, record: dict) -> str:
        return str(record["conversionId"])

    def captured_at(self, record: dict) -> datetime | None:
        return from_millis(record["submittedAt"])
