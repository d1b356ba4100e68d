"""Daily ad spend per campaign, as Meta insights, Google Ads campaign rows and LinkedIn ad
analytics deliver it.

Spend of the last days is revised for a while on the real platforms; `revise()` changes
yesterday's figures so tests can check the trailing re-pull picks the new ones up.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sandbox.channels import google_ads, linkedin_lead_sync

if TYPE_CHECKING:
    import random
    from datetime import datetime

    from sandbox.generator import SandboxData

META_ACCOUNT = "act_120000000000001"
META_CURRENCY, GOOGLE_CURRENCY, LINKEDIN_CURRENCY = "EUR", "EUR", "EUR"


def _days(start: datetime, end: datetime) -> list[str]:
    first = start.date()
    return [str(first + timedelta(days=i)) for i in range((end.date() - first).days + 1)]


def write_spend(
    rng: random.Random, data: SandboxData, start: datetime, end: datetime, meta_campaigns
) -> None:
    meta = data.records("meta_ad_insights").setdefault(META_ACCOUNT.removeprefix("act_"), [])
    google = data.records("google_ads_costs").setdefault(google_ads.CUSTOMERS[0], [])
    linkedin = data.records("linkedin_ad_analytics").setdefault(linkedin_lead_sync.ACCOUNTS[0], [])
    for day in _days(start, end):
        for campaign_id, name in meta_campaigns:
            meta.append(
                {
                    "account_id": META_ACCOUNT.removeprefix("act_"),
                    "campaign_id": campaign_id,
                    "campaign_name": name,
                    "spend": f"{rng.uniform(20, 400):.2f}",
                    "impressions": str(rng.randint(2_000, 60_000)),
                    "clicks": str(rng.randint(20, 900)),
                    "account_currency": META_CURRENCY,
                    "date_start": day,
                    "date_stop": day,
                }
            )
        for campaign_id in google_ads.CAMPAIGNS:
            customer = google_ads.CUSTOMERS[0]
            google.append(
                {
                    "customer": {
                        "resourceName": f"customers/{customer}",
                        "currencyCode": GOOGLE_CURRENCY,
                    },
                    "campaign": {
                        "resourceName": f"customers/{customer}/campaigns/{campaign_id}",
                        "id": campaign_id,
                        "name": f"Search FR {campaign_id[-1]}",
                    },
                    "metrics": {"costMicros": str(rng.randint(15, 350) * 1_000_000 + 450_000)},
                    "segments": {"date": day},
                }
            )
        year, month, day_of_month = (int(part) for part in day.split("-"))
        on = {"year": year, "month": month, "day": day_of_month}
        for campaign in linkedin_lead_sync.CAMPAIGNS:
            linkedin.append(
                {
                    "pivotValues": [campaign],
                    "dateRange": {"start": on, "end": on},
                    "costInLocalCurrency": f"{rng.uniform(40, 600):.2f}",
                    "impressions": rng.randint(1_000, 30_000),
                    "clicks": rng.randint(5, 300),
                }
            )


def revise(data: SandboxData, day: str, factor: float) -> None:
    """The platform revises a day's spend (late conversions, invalid-click refunds)."""
    for rows in data.records("meta_ad_insights").values():
        for row in rows:
            if row["date_start"] == day:
                row["spend"] = f"{float(row['spend']) * factor:.2f}"
