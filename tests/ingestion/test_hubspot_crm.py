"""CRM outcomes from HubSpot: every contact, past the 10,000-results search cap, incrementally."""

from datetime import timedelta

from ingestion.hubspot_crm import HubSpotContactOutcomes
from leadpipe.http import build_session

LOOKBACK = timedelta(minutes=5)


def _crm(platforms, contacts: int):
    hubspot = platforms.hubspot
    for i in range(contacts):
        email = f"p{i}@acme.fr"
        hubspot.contacts[email] = {
            "id": str(5000 + i),
            "properties": {"email": email, "leadpipe_lead_id": f"ld_{i}"},
            "createdAt": f"2026-11-20T10:{i // 60:02d}:{i % 60:02d}.000Z",
            "updatedAt": f"2026-11-20T10:{i // 60:02d}:{i % 60:02d}.000Z",
        }
    return HubSpotContactOutcomes(build_session(hubspot.token), hubspot.base_url, 20)


def _landed(con):
    return {r[0] for r in con.execute("select _record_id from raw.hubspot_contacts").fetchall()}


def test_pages_past_the_search_cap_by_starting_a_new_search(con, platforms):
    connector = _crm(platforms, 130)
    platforms.hubspot.search_cap = connector.search_cap = 50  # 10,000 on the real platform
    connector.pull(con, "contacts", "run-1", LOOKBACK)
    assert _landed(con) == {str(5000 + i) for i in range(130)}


def test_the_next_run_picks_up_what_sales_did(con, platforms):
    connector = _crm(platforms, 30)
    connector.pull(con, "contacts", "run-1", LOOKBACK)
    platforms.hubspot.work_leads()
    platforms.hubspot.requests.clear()
    stats = connector.pull(con, "contacts", "run-2", LOOKBACK)
    assert stats.pulled == 30
    stages = con.execute(
        "select count(*) from raw.hubspot_contacts "
        "where payload->'properties'->>'lifecyclestage' is not null"
    ).fetchone()[0]
    assert stages == 30
