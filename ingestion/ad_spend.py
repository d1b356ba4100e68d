"""Daily ad spend per campaign, for cost per lead: Meta Ads insights, Google Ads costs and
LinkedIn ad analytics.

Platforms revise recent figures (late conversions, invalid-click refunds) for up to 28 days, so
every run re-pulls at least the trailing 28 days; a revised day replaces the landed row (one row
per campaign and day). Each uses the account list of its lead-form source in leadpipe.yml:
`sources.meta_lead_ads.accounts` (ad account ids), `sources.google_ads.accounts` and
`sources.linkedin_lead_sync.accounts` (sponsored account ids).
"""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote

import duckdb

from ingestion.connector import Window
from ingestion.google_ads import GoogleAdsLeadForms
from ingestion.landing import ensure_raw_table, land_page
from ingestion.linkedin_lead_sync import LinkedInLeadSync
from ingestion.meta_lead_ads import MetaLeadAds
from leadpipe.errors import PlatformError

REVISION_DAYS = timedelta(days=28)
FIRST_PULL_DAYS = 90
LINKEDIN_DAYS_PER_REQUEST = 30  # no paging, at most 15,000 rows: 500 campaigns a request
LINKEDIN_MAX_ROWS = 15_000  # a fuller answer may be cut short: ask again for fewer days
LINKEDIN_ACCOUNTS_TABLE = "linkedin_ad_accounts"
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


def _restli_date(day: date) -> str:
    return f"(year:{day.year},month:{day.month},day:{day.day})"


class LinkedInAdAnalytics(LinkedInLeadSync):
    """`GET /rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY`: cost in the ad
    account's currency, which comes from `GET /rest/adAccounts/{id}` (landed alongside). The
    endpoint does not page and answers at most 15,000 rows, so long ranges are asked for a month
    at a time, and a range whose answer reaches the cap is asked again in halves."""

    platform = "linkedin_ad_analytics"
    label = "LinkedIn ad analytics"
    raw_table = "linkedin_ad_analytics"
    related_tables = (LINKEDIN_ACCOUNTS_TABLE,)
    config_key = "linkedin_lead_sync"
    optional_streams = True
    max_rows = LINKEDIN_MAX_ROWS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._accounts: dict[str, dict] = {}

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        self._accounts[stream_id] = self.get(f"{self.base_url}/rest/adAccounts/{stream_id}")
        first, last = _days(window)
        while first <= last:
            until = min(last, first + timedelta(days=LINKEDIN_DAYS_PER_REQUEST - 1))
            yield from self._daily_rows(stream_id, first, until)
            first = until + timedelta(days=1)

    def _daily_rows(self, stream_id: str, first: date, last: date) -> Iterator[list[dict]]:
        account = quote(f"urn:li:sponsoredAccount:{stream_id}", safe="")
        rows = self.get(
            f"{self.base_url}/rest/adAnalytics?q=analytics&pivot=CAMPAIGN"
            f"&timeGranularity=DAILY&accounts=List({account})"
            f"&dateRange=(start:{_restli_date(first)},end:{_restli_date(last)})"
            "&fields=pivotValues,dateRange,costInLocalCurrency,impressions,clicks"
        ).get("elements", [])
        if len(rows) < self.max_rows:
            yield rows
        elif first < last:
            middle = first + (last - first) // 2
            yield from self._daily_rows(stream_id, first, middle)
            yield from self._daily_rows(stream_id, middle + timedelta(days=1), last)
        else:
            raise PlatformError(
                f"LinkedIn ad analytics: more than {self.max_rows} campaign rows for account "
                f"{stream_id} on {first}; the endpoint cannot say more for one day."
            )

    def land_related(self, con: duckdb.DuckDBPyConnection, run_id: str, at: datetime) -> None:
        ensure_raw_table(con, LINKEDIN_ACCOUNTS_TABLE)
        if accounts := list(self._accounts.values()):
            land_page(
                con,
                LINKEDIN_ACCOUNTS_TABLE,
                self.platform,
                accounts,
                lambda a: str(a["id"]),
                run_id,
                at,
            )

    @staticmethod
    def _day(record: dict) -> date:
        start = record["dateRange"]["start"]
        return date(start["year"], start["month"], start["day"])

    def record_id(self, record: dict) -> str:
        return f"{record['pivotValues'][0].rsplit(':', 1)[1]}:{self._day(record)}"

    def captured_at(self, record: dict) -> datetime | None:
        return _midnight(str(self._day(record)))
