"""Meta Lead Ads: GET /{form_id}/leads on the Graph API, newest first, cursor paging.

Follows `paging.next` until it is absent (a short or even empty page is not the end) and filters
on `time_created` for the window. Graph signals throttling in error bodies (codes 4, 17, 32, 613
and the 80000 business-use-case range, often with HTTP 400/403): those are retried with backoff,
`throttle_backoff` seconds first (option, default 1), doubling up to 5 minutes. Code 190 is a
bad token.
"""

import json
from collections.abc import Iterator
from datetime import datetime

import requests
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from ingestion.connector import Connector, Window, instant
from leadpipe.errors import PlatformError
from leadpipe.graph_api import EXPIRED_TOKEN_CODE, THROTTLING_CODES, graph_error_code
from leadpipe.http import raise_for_platform

FIELDS = (
    "id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,"
    "is_organic,platform,partner_name,field_data,custom_disclaimer_responses"
)
THROTTLED_ATTEMPTS = 6


class Throttled(PlatformError):
    """Graph asked us to slow down."""


class MetaLeadAds(Connector):
    platform = "meta_lead_ads"
    label = "Meta Lead Ads"
    raw_table = "meta_lead_ads_leads"
    token_setting = "LEADPIPE_META_ACCESS_TOKEN"
    default_url = "https://graph.facebook.com/v21.0"
    page_size = 500

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        url: str | None = f"{self.base_url}/{stream_id}/leads"
        params: dict | None = {"limit": self.page_size, "fields": FIELDS}
        rules = []
        if window.start is not None:  # GREATER_THAN is strict: start one second earlier
            rules.append(_rule("GREATER_THAN", int(window.start.timestamp()) - 1))
        if window.end is not None:
            rules.append(_rule("LESS_THAN", int(window.end.timestamp())))
        if rules:
            params["filtering"] = json.dumps(rules)
        while url:
            body = self._get_page(url, params)
            yield body.get("data", [])
            url, params = body.get("paging", {}).get("next"), None  # `next` carries the params

    def _get_page(self, url: str, params: dict | None) -> dict:
        retrying = Retrying(
            retry=retry_if_exception_type(Throttled),
            wait=wait_exponential(
                multiplier=float(self.options.get("throttle_backoff", 1)), max=300
            ),
            stop=stop_after_attempt(THROTTLED_ATTEMPTS),
            reraise=True,
        )
        return retrying(self.get, url, params)

    def raise_for_status(self, response: requests.Response) -> None:
        if response.ok:
            return
        code = graph_error_code(response)
        if code in THROTTLING_CODES:
            raise Throttled(
                f"Meta Lead Ads kept throttling (Graph error {code}) after "
                f"{THROTTLED_ATTEMPTS} attempts: the next run picks up from the same cursor."
            )
        raise_for_platform(
            response, self.label, self.token_setting, auth_failed=code == EXPIRED_TOKEN_CODE
        )

    def record_id(self, record: dict) -> str:
        return str(record["id"])

    def captured_at(self, record: dict) -> datetime | None:
        created = record.get("created_time")
        return instant(created) if created else None


def _rule(operator: str, value: int) -> dict:
    return {"field": "time_created", "operator": operator, "value": value}
