"""Meta Lead Ads: GET /{form_id}/leads on the Graph API, newest first, cursor paging.

Follows `paging.next` until it is absent (a short or empty page is not the end), filters on
`time_created` for incremental runs, and maps Graph error code 190 to a credentials message.
"""

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import duckdb
import requests

from ingestion.landing import LandingStats, land_stream
from ingestion.state import read_cursor
from leadpipe.http import raise_for_platform

GRAPH_URL = "https://graph.facebook.com/v21.0"
TOKEN_SETTING = "LEADPIPE_META_ACCESS_TOKEN"
RAW_TABLE = "meta_lead_ads_leads"
PAGE_LIMIT = 500
FIELDS = (
    "id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,"
    "is_organic,platform,partner_name,field_data,custom_disclaimer_responses"
)
EXPIRED_TOKEN_CODE = 190
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def lead_pages(
    session: requests.Session,
    base_url: str,
    form_id: str,
    created_after: int | None,
    page_size: int = PAGE_LIMIT,
) -> Iterator[list[dict]]:
    """Yield pages of leads of one form created after a unix time (all when None)."""
    url: str | None = f"{base_url.rstrip('/')}/{form_id}/leads"
    params: dict | None = {"limit": page_size, "fields": FIELDS}
    if created_after is not None:
        params["filtering"] = json.dumps(
            [{"field": "time_created", "operator": "GREATER_THAN", "value": created_after}]
        )
    while url:
        response = session.get(url, params=params, timeout=60)
        _raise_for_graph_error(response)
        body = response.json()
        yield body.get("data", [])
        url, params = body.get("paging", {}).get("next"), None  # `next` carries the params


def _raise_for_graph_error(response: requests.Response) -> None:
    if response.ok:
        return
    try:
        code = response.json().get("error", {}).get("code")
    except ValueError:
        code = None
    raise_for_platform(
        response, "Meta Lead Ads", TOKEN_SETTING, auth_failed=code == EXPIRED_TOKEN_CODE
    )


def pull_form(
    con: duckdb.DuckDBPyConnection,
    session: requests.Session,
    base_url: str,
    form_id: str,
    run_id: str,
    lookback: timedelta,
    page_size: int = PAGE_LIMIT,
) -> LandingStats:
    """Land one form's new leads since its cursor minus the lookback, in one transaction."""
    stream = f"meta_lead_ads.leads.{form_id}"
    cursor = read_cursor(con, stream)
    created_after = None
    if cursor is not None:
        created_after = int((datetime.strptime(cursor, TIME_FORMAT) - lookback).timestamp())
    return land_stream(
        con,
        table=RAW_TABLE,
        source=f"meta_lead_ads/{form_id}",
        stream=stream,
        pages=lead_pages(session, base_url, form_id, created_after, page_size),
        record_id=lambda lead: str(lead["id"]),
        cursor_of=lambda lead: lead.get("created_time"),
        run_id=run_id,
    )
