"""Typeform: GET /forms/{form_id}/responses, newest first, paged with `before` tokens.

`since` is inclusive, so the newest response of the last run comes back and is deduplicated by
its token on landing. A page with no items ends the stream. Only completed responses are pulled
(Typeform's default), so every item has `submitted_at` for the cursor.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

import duckdb
import requests

from ingestion.landing import LandingStats, land_stream
from ingestion.state import read_cursor
from leadpipe.http import raise_for_platform

TYPEFORM_URL = "https://api.typeform.com"
TOKEN_SETTING = "LEADPIPE_TYPEFORM_TOKEN"
RAW_TABLE = "typeform_responses"
PAGE_SIZE = 1000


def response_pages(
    session: requests.Session,
    base_url: str,
    form_id: str,
    since: str | None,
    page_size: int = PAGE_SIZE,
) -> Iterator[list[dict]]:
    """Yield pages of one form's completed responses submitted at or after `since` (ISO UTC)."""
    url = f"{base_url.rstrip('/')}/forms/{form_id}/responses"
    params = {"page_size": page_size}
    if since:
        params["since"] = since
    while True:
        response = session.get(url, params=params, timeout=60)
        if not response.ok:
            raise_for_platform(response, "Typeform", TOKEN_SETTING)
        items = response.json().get("items", [])
        if not items:
            return
        yield items
        params["before"] = items[-1]["token"]


def pull_form(
    con: duckdb.DuckDBPyConnection,
    session: requests.Session,
    base_url: str,
    form_id: str,
    run_id: str,
    lookback: timedelta,
    page_size: int = PAGE_SIZE,
) -> LandingStats:
    """Land one form's responses since its cursor minus the lookback, in one transaction."""
    stream = f"typeform.responses.{form_id}"
    cursor = read_cursor(con, stream)
    since = None
    if cursor is not None:
        since_at = datetime.fromisoformat(cursor.replace("Z", "+00:00")) - lookback
        since = since_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return land_stream(
        con,
        table=RAW_TABLE,
        source=f"typeform/{form_id}",
        stream=stream,
        pages=response_pages(session, base_url, form_id, since, page_size),
        record_id=lambda item: str(item["token"]),
        cursor_of=lambda item: item.get("submitted_at"),
        run_id=run_id,
    )
