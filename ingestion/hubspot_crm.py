"""What sales did with each lead, from HubSpot contacts (the closed loop).

POST /crm/v3/objects/contacts/search on `lastmodifieddate` (ascending), 200 a page. HubSpot
refuses to page past 10,000 results of one search: the connector then starts a new search from
the last modification time it reached (overlaps are deduplicated on landing). Properties read:
`leadpipe_lead_id` (written by the sync), lifecycle stage, first sales activity, won deal, and
`hs_email_optout` (the contact unsubscribed from all email: a withdrawal for the consent ledger).
"""

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from ingestion.connector import Connector, Window, instant
from leadpipe.errors import PlatformError

SEARCH_LIMIT, SEARCH_CAP = 200, 10_000
PROPERTIES = (
    "email",
    "leadpipe_lead_id",
    "lifecyclestage",
    "hs_sa_first_engagement_date",
    "recent_deal_close_date",
    "recent_deal_amount",
    "hs_email_optout",
)


def _millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


class HubSpotContactOutcomes(Connector):
    platform = "hubspot_crm"
    label = "HubSpot CRM"
    raw_table = "hubspot_contacts"
    token_setting = "LEADPIPE_HUBSPOT_TOKEN"
    default_url = "https://api.hubapi.com"
    page_size = SEARCH_LIMIT
    fixed_streams: ClassVar[tuple[str, ...]] = ("contacts",)
    search_cap = SEARCH_CAP

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        url = f"{self.base_url}/crm/v3/objects/contacts/search"
        low = _millis(window.start) if window.start else 0
        limit = min(self.page_size, SEARCH_LIMIT)
        while True:  # one search per 10,000 results
            after, last = 0, None
            while True:
                body = self._search(url, low, window, limit, after)
                results = body.get("results", [])
                yield results
                if results:
                    last = results[-1]
                after = int(body.get("paging", {}).get("next", {}).get("after") or 0)
                if not after:
                    return
                if after + limit > self.search_cap:
                    break
            restart = _millis(self.captured_at(last))
            if restart <= low:
                raise PlatformError(
                    "HubSpot CRM: more than 10,000 contacts share one modification time; "
                    "narrow the window (leadpipe backfill) to pull them."
                )
            low = restart

    def _search(self, url: str, low: int, window: Window, limit: int, after: int) -> dict:
        filters = [{"propertyName": "lastmodifieddate", "operator": "GTE", "value": str(low)}]
        if window.end is not None:
            filters.append(
                {
                    "propertyName": "lastmodifieddate",
                    "operator": "LT",
                    "value": str(_millis(window.end)),
                }
            )
        request = {
            "filterGroups": [{"filters": filters}],
            "sorts": [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
            "properties": list(PROPERTIES),
            "limit": limit,
        }
        if after:
            request["after"] = str(after)
        return self.send("POST", url, json=request).json()

    def record_id(self, record: dict) -> str:
        return str(record["id"])

    def captured_at(self, record: dict) -> datetime | None:
        return instant(record["properties"]["lastmodifieddate"])
