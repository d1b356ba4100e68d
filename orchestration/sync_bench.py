"""Benchmark of the HubSpot diff sync: N changed contacts, then an unchanged re-sync.

A synthetic consented segment of N people is synced to the HubSpot stand-in limited to 190
requests per 10 seconds (the pro / enterprise limit; the bound is 1,900 records/s), then synced
again with nothing changed.
"""

import os
import time
from pathlib import Path

from activation.destinations.hubspot import HubSpot
from activation.sync import run_sync
from activation.syncs import sync_specs
from leadpipe.config import LeadpipeConfig
from leadpipe.http import build_session
from leadpipe.pseudonyms import KEY_SETTING
from leadpipe.warehouse import connect
from sandbox.platforms import SANDBOX_PSEUDONYM_KEY
from sandbox.segment_warehouse import write_segment
from sandbox.standins import HubSpotStandIn

REQUESTS_PER_10S = 190


def bench_sync(contacts: int, warehouse: Path) -> dict:
    """Seconds, records per second and requests of a full sync and of an unchanged re-sync."""
    os.environ.setdefault(KEY_SETTING, SANDBOX_PSEUDONYM_KEY)
    con = connect(warehouse)
    write_segment(con, contacts)
    spec = sync_specs(LeadpipeConfig())[0]  # the default sync: hot leads to HubSpot
    report: dict = {"contacts": contacts, "limit_requests_per_10s": REQUESTS_PER_10S}
    with HubSpotStandIn(requests_per_10s=REQUESTS_PER_10S) as hubspot:
        for label in ("changed", "unchanged"):
            client = HubSpot(build_session(hubspot.token), hubspot.base_url)
            started = time.perf_counter()
            result = run_sync(con, spec, client, f"bench-{label}")
            seconds = time.perf_counter() - started
            report[label] = {
                "seconds": round(seconds, 2),
                "sent": result.sent,
                "records_per_second": round(result.sent / seconds, 1),
                "requests": client.requests,
            }
        report["rate_limited_429s"] = hubspot.rate_limited
    con.close()
    return report
