"""Benchmark of the HubSpot diff sync: N changed contacts, then an unchanged re-sync.

A synthetic consented segment of N people is synced to the HubSpot stand-in limited to 190
requests per 10 seconds (the pro / enterprise limit; the bound is 1,900 records/s), then synced
again with nothing changed.
"""

import time
from pathlib import Path

from activation.destinations.hubspot import HubSpotContacts
from activation.sync import run_sync
from activation.syncs import HUBSPOT_HOT_LEADS
from leadpipe.http import build_session
from leadpipe.warehouse import connect
from sandbox.standins import HubSpotStandIn

REQUESTS_PER_10S = 190


def _make_segment(con, contacts: int) -> None:
    con.execute("create schema if not exists marts")
    con.execute(
        f"""
        create or replace table {HUBSPOT_HOT_LEADS.segment} as
        select
            'ld_' || i as lead_id, 'p' || i || '@bench.example' as email,
            'p' || i || '@bench.example' as email_match_key, 'Jean' as first_name,
            'Dupont' as last_name, null::varchar as phone_e164, 'Acme' as company,
            'CEO' as job_title, 'FR' as country_code, 'hot' as tier, 'A' as grade,
            60 as total_score, 'Senior decision maker' as score_reasons,
            'typeform' as source_platform, 'web_form' as channel, 'typeform/x' as source,
            'granted' as consent_sales_contact, now() as consent_sales_contact_at,
            'typeform' as consent_sales_contact_source
        from range({contacts}) t(i)
        """
    )
    con.execute(
        f"""
        create or replace table marts.consent_current as
        select 'email' as identifier_type, email_match_key as identifier,
               'sales_contact' as purpose, 'email' as channel, 'granted' as status
        from {HUBSPOT_HOT_LEADS.segment}
        """
    )


def bench_sync(contacts: int, warehouse: Path) -> dict:
    """Seconds, records per second and requests of a full sync and of an unchanged re-sync."""
    con = connect(warehouse)
    _make_segment(con, contacts)
    report: dict = {"contacts": contacts, "limit_requests_per_10s": REQUESTS_PER_10S}
    with HubSpotStandIn(requests_per_10s=REQUESTS_PER_10S) as hubspot:
        for label in ("changed", "unchanged"):
            client = HubSpotContacts(build_session(hubspot.token), hubspot.base_url)
            started = time.perf_counter()
            result = run_sync(con, HUBSPOT_HOT_LEADS, client.upsert, f"bench-{label}")
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
