"""Daily ad spend per campaign, for cost per lead: Meta Ads insights and Google Ads costs.

Platforms revise recent figures (late conversions, invalid-click refunds) for up to 28 days, so
every run re-pulls at least the trailing 28 days; a revised day replaces the landed row (one row
per campaign and day). Both use the account lists of their lead-form sources in leadpipe.yml:
`sources.meta_lead_ads.accounts` (ad account ids) and `sources.google_ads.accounts`.
"""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from ingestion.connector import Window
from ingestion.google_ads import GoogleAdsLeadForms
from ingestion.meta_lead_ads import MetaLeadAds

REVISION_DAYS = timedelta(days=28)
FIRST_PULL_DAYS = 90
INSIGHT_FIELDS = (
    "account_id,campaign_id,campaign_name,spend,impressions,clicks,account_currency,"
    "date_start,date_stop"
)


def _days(window: Window) -> tuple[date, date]:
    """The days a spend pull asks for: the window widened to the revision period."""
    today = datetime.now(UTC).date()
    last = (window.end - timedelta(seconds=1)).date() if window.end else today
    first = window.start.date() if window.start else today - timedelta(days=FIRST_PULL_DAYS)
    if window.end is None:
        first = min(first, today - REVISION_DAYS)
    return first, last


def _midnight(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(), tzinfo=UTC)


class MetaAdInsights(MetaLeadAds):
    platform = "meta_ad_insights"
    label = "Meta Ads insights"
    raw_table = "meta_ad_insights"
    streams_key = "accounts"
    config_key = "meta_lead_ads"
    optional_streams = True

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        first, last = _days(window)
        url: str | None = f"{self.base_url}/act_{stream_id}/insights"
        params: dict | None = {
            "level": "campaign",
            "time_increment": 1,
            "fields": INSIGHT_FIELDS,
            "time_range": json.dumps({"since": str(first), "until": str(last)}),
            "limit": self.page_size,
        }
        while url:
            body = self._get_page(url, params)
            yield body.get("data", [])
            url, params = body.get("paging", {}).get("next"), None

    def record_id(self, record: dict) -> str:
        return f"{record['campaign_id']}:{record['date_start']}"

    def captured_at(self, record: dict) -> datetime | None:
        return _midnight(record["date_start"])


class GoogleAdsCosts(GoogleAdsLeadForms):
    platform = "google_ads_costs"
    label = "Google Ads costs"
    raw_table = "google_ads_campaign_costs"
    config_key = "google_ads"
    optional_streams = True

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        first, last = _days(window)
        query = (
            "SELECT customer.currency_code, campaign.id, campaign.name, segments.date, "
            "metrics.cost_micros FROM campaign "
            f"WHERE segments.date BETWEEN '{first}' AND '{last}' ORDER BY segments.date"
        )
        yield from self.search(stream_id, query)

    def record_id(self, record: dict) -> str:
        return f"{record['campaign']['id']}:{record['segments']['date']}"

    def captured_at(self, record: dict) -> datetime | None:
        return _midnight(record["segments"]["date"])
