"""Intercom: the leads a chatbot captured (contacts) and their conversations (engagement).

`POST /contacts/search` and `POST /conversations/search` on `updated_at` (ascending), with
`Intercom-Version`. Paging is in the request body (`pagination.starting_after`; a cursor in the
query string is ignored and page one comes back again), at most 150 a page. Contact search
compares timestamps by UTC day only (`> t` means "from the day after t's day"), so the search
asks from the day before the window and the window is applied here. Both use `updated_at`, so a
lead the bot enriches later (an email given in a second chat) is pulled again. The rate limit is
announced in `X-RateLimit-Remaining` / `X-RateLimit-Reset`: when the window is spent the
connector waits for the reset instead of collecting 429s.
"""

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import ClassVar

from ingestion.connector import Connector, Window, instant

API_VERSION = "2.11"
MAX_PAGE_SIZE = 150
DAY = timedelta(days=1)


class _IntercomSearch(Connector):
    label = "Intercom"
    token_setting = "LEADPIPE_INTERCOM_TOKEN"
    default_url = "https://api.intercom.io"
    page_size = MAX_PAGE_SIZE
    config_key = "intercom"
    fixed_streams: ClassVar[tuple[str, ...]] = ("workspace",)
    path: ClassVar[str]
    day_granular: ClassVar[bool] = False  # does the search compare timestamps by day only
    extra_filters: ClassVar[tuple[dict, ...]] = ()
    items_key: ClassVar[str] = "data"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session.headers["Intercom-Version"] = self.options.get("version", API_VERSION)

    def _query(self, window: Window) -> dict:
        """The search query: day-granular search reads `> t` as "from the day after t's day",
        so it asks from the day before the window's start (and to the day after its end)."""
        filters = list(self.extra_filters)
        after = 0
        if window.start is not None:
            start = int(window.start.timestamp())
            after = start - int(DAY.total_seconds()) if self.day_granular else start - 1
        filters.append({"field": "updated_at", "operator": ">", "value": after})
        if window.end is not None:
            end = int(window.end.timestamp())
            before = end + int(DAY.total_seconds()) if self.day_granular else end
            filters.append({"field": "updated_at", "operator": "<", "value": before})
        return filters[0] if len(filters) == 1 else {"operator": "AND", "value": filters}

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        request: dict = {
            "query": self._query(window),
            "sort": {"field": "updated_at", "order": "ascending"},
            "pagination": {"per_page": min(self.page_size, MAX_PAGE_SIZE)},
        }
        while True:
            body = self._search(request)
            yield self.in_window(body.get(self.items_key, []), window)
            cursor = (body.get("pages") or {}).get("next", {}) or {}
            if not cursor.get("starting_after"):
                return
            request["pagination"]["starting_after"] = cursor["starting_after"]

    def _search(self, request: dict) -> dict:
        response = self.send("POST", f"{self.base_url}{self.path}", json=request)
        remaining = response.headers.get("X-RateLimit-Remaining")
        reset = response.headers.get("X-RateLimit-Reset")
        if remaining is not None and reset is not None and int(remaining) <= 0:
            time.sleep(max(0.0, float(reset) - time.time()))
        return response.json()

    def captured_at(self, record: dict) -> datetime | None:
        return instant(record["updated_at"])

    def record_id(self, record: dict) -> str:
        return str(record["id"])


class IntercomContacts(_IntercomSearch):
    platform = "intercom_contacts"
    raw_table = "intercom_contacts"
    path = "/contacts/search"
    day_granular = True
    extra_filters = ({"field": "role", "operator": "=", "value": "lead"},)


class IntercomConversations(_IntercomSearch):
    platform = "intercom_conversations"
    raw_table = "intercom_conversations"
    path = "/conversations/search"
    items_key = "conversations"
