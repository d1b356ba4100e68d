"""Ad spend: one row per campaign and day, the trailing 28 days re-pulled for revisions."""

import math
from datetime import UTC, datetime, timedelta

from ingestion.ad_spend import FIRST_PULL_DAYS, LINKEDIN_DAYS_PER_REQUEST
from ingestion.connector import Window
from sandbox.channels import ad_spend
from tests.ingestion.contract import Platform

LOOKBACK = timedelta(hours=1)
META = Platform("meta_ad_insights", "meta_ad_insights", lambda p: p.meta)
GOOGLE = Platform("google_ads_costs", "google_ads_costs", lambda p: p.google_ads)
LINKEDIN = Platform("linkedin_ad_analytics", "linkedin_ad_analytics", lambda p: p.linkedin)


def ad_spend_days(data) -> int:
    return len(
        {row["date_start"] for rows in data.records("meta_ad_insights").values() for row in rows}
    )


def _landed(con, table):
    return dict(con.execute(f"select _record_id, payload from raw.{table}").fetchall())


def test_meta_insights_land_one_row_per_campaign_and_day(con, data, platforms):
    connector = META.connector(platforms, None, 7)
    account, rows = next(iter(data.records("meta_ad_insights").items()))
    connector.pull(con, account, "run-1", LOOKBACK)
    landed = _landed(con, "meta_ad_insights")
    assert set(landed) == {f"{r['campaign_id']}:{r['date_start']}" for r in rows}


def test_a_revised_day_is_picked_up_by_the_next_run(con, data, platforms):
    connector = META.connector(platforms, None, 500)
    account = next(iter(data.records("meta_ad_insights")))
    connector.pull(con, account, "run-1", LOOKBACK)
    day = str((data.now - timedelta(days=3)).date())
    before = _landed(con, "meta_ad_insights")
    ad_spend.revise(data, day, factor=1.5)
    connector.pull(con, account, "run-2", LOOKBACK)  # the cursor is past that day: re-pulled
    after = _landed(con, "meta_ad_insights")
    changed = {key for key in after if after[key] != before[key]}
    assert changed and all(key.endswith(day) for key in changed)
    assert len(after) == len(before)


def test_a_spend_backfill_lands_exactly_its_days(con, data, platforms):
    connector = META.connector(platforms, None, 500)
    account = next(iter(data.records("meta_ad_insights")))
    first = datetime.combine((data.now - timedelta(days=20)).date(), datetime.min.time(), UTC)
    connector.pull(con, account, "run-1", LOOKBACK, Window(first, first + timedelta(days=3)))
    days = {key.split(":")[1] for key in _landed(con, "meta_ad_insights")}
    assert days == {str((first + timedelta(days=i)).date()) for i in range(3)}


def test_google_ads_costs_keep_micros_and_currency(con, data, platforms):
    connector = GOOGLE.connector(platforms, None, None)
    customer, rows = next(iter(data.records("google_ads_costs").items()))
    connector.pull(con, customer, "run-1", LOOKBACK)
    landed = _landed(con, "google_ads_campaign_costs")
    assert len(landed) == len(rows)
    sample = rows[0]
    key = f"{sample['campaign']['id']}:{sample['segments']['date']}"
    assert f'"costMicros":"{sample["metrics"]["costMicros"]}"' in landed[key]


def test_linkedin_spend_lands_per_campaign_and_day_with_the_account_currency(con, data, platforms):
    connector = LINKEDIN.connector(platforms, None, None)
    account, rows = next(iter(data.records("linkedin_ad_analytics").items()))
    connector.pull(con, account, "run-1", LOOKBACK)
    landed = _landed(con, "linkedin_ad_analytics")
    assert len(landed) == len(rows) > ad_spend_days(data) > 0  # several campaigns a day
    requests = [path for _, path in platforms.linkedin.requests if path == "/rest/adAnalytics"]
    first_pull_days = FIRST_PULL_DAYS + 1  # today included
    assert len(requests) == math.ceil(first_pull_days / LINKEDIN_DAYS_PER_REQUEST)  # month chunks
    currency = con.execute(
        "select payload ->> 'currency' from raw.linkedin_ad_accounts where _record_id = ?",
        [account],
    ).fetchone()
    assert currency == (ad_spend.LINKEDIN_CURRENCY,)


def test_linkedin_spend_past_the_row_cap_is_asked_again_in_halves(con, data, platforms):
    platforms.linkedin.analytics_cap = 7  # 15,000 rows on the real platform
    connector = LINKEDIN.connector(platforms, None, None)
    connector.max_rows = 7
    account, rows = next(iter(data.records("linkedin_ad_analytics").items()))
    connector.pull(con, account, "run-1", LOOKBACK)
    assert len(_landed(con, "linkedin_ad_analytics")) == len(rows)
