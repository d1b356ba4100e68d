"""CRM outcomes from Salesforce: SOQL batches, sessions ended early, the daily API limit."""

from datetime import timedelta

import pytest

from ingestion.connector import Window
from leadpipe.errors import AuthError, PlatformError
from tests.ingestion.contract import Platform

LOOKBACK = timedelta(minutes=5)
SALESFORCE = Platform("salesforce_crm", "salesforce_crm", lambda p: p.salesforce)


def _connector(platforms, token=None):
    return SALESFORCE.connector(platforms, token, None)


def _landed(con) -> dict[str, str]:
    rows = con.execute("select _record_id, payload ->> 'Status' from raw.salesforce_leads")
    return dict(rows.fetchall())


def test_follows_next_records_url_to_the_last_batch(con, platforms):
    platforms.salesforce.batch_size = 7  # 2,000 on the real platform
    platforms.salesforce.add_worked_leads([f"ld_{i}" for i in range(30)])
    stats = _connector(platforms).pull(con, "leads", "run-1", LOOKBACK)
    assert stats.pages == 5
    assert set(_landed(con)) == {lead["Id"] for lead in platforms.salesforce.leads}


def test_the_next_run_pulls_only_leads_modified_since(con, platforms):
    salesforce = platforms.salesforce
    salesforce.add_worked_leads([f"ld_{i}" for i in range(20)])
    connector = _connector(platforms)
    connector.pull(con, "leads", "run-1", timedelta(0))
    salesforce.add_worked_leads([f"ld_{i}" for i in range(20, 25)], seed=2)  # modified later
    stats = connector.pull(con, "leads", "run-2", timedelta(0))
    assert stats.pulled == 6  # the five, and the last one of run 1 (the cursor is inclusive)
    assert len(_landed(con)) == 25


def test_a_session_ended_early_gets_one_new_token(con, platforms):
    salesforce = platforms.salesforce
    salesforce.batch_size = 5
    salesforce.add_worked_leads([f"ld_{i}" for i in range(12)])
    connector = _connector(platforms)
    pages = connector.pages("leads", Window())
    next(pages)
    salesforce.expire_sessions()  # the org's session timeout, shorter than the token's hour
    assert sum(len(page) for page in pages) == 7
    assert salesforce.grants == 2


def test_the_daily_api_limit_stops_the_stream_with_its_reason(con, platforms):
    platforms.salesforce.add_worked_leads(["ld_1"])
    platforms.salesforce.daily_limit = 0
    with pytest.raises(PlatformError, match=r"daily API request limit.*api-usage=1/0"):
        _connector(platforms).pull(con, "leads", "run-1", LOOKBACK)
    assert not con.execute("select count(*) from raw.salesforce_leads").fetchone()[0]


def test_refused_client_credentials_name_the_settings(con, platforms):
    with pytest.raises(AuthError, match="LEADPIPE_SALESFORCE_CLIENT_ID and"):
        _connector(platforms, token="wrong").pull(con, "leads", "run-1", LOOKBACK)
