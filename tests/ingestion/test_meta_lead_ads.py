from datetime import timedelta

import pytest

from ingestion import meta_lead_ads
from leadpipe.errors import AuthError
from leadpipe.http import build_session
from sandbox.standins.server import server_error, too_many_requests

LOOKBACK = timedelta(hours=1)


def _pull(con, platforms, form_id, run_id="run-1", token=None, page_size=40):
    session = build_session(token or platforms.meta.token)
    return meta_lead_ads.pull_form(
        con, session, platforms.meta.graph_url, form_id, run_id, LOOKBACK, page_size=page_size
    )


def _raw_ids(con):
    return [r[0] for r in con.execute("select _record_id from raw.meta_lead_ads_leads").fetchall()]


def test_pages_to_the_end_and_lands_every_lead_untouched(con, data, platforms):
    form_id, leads = next(iter(data.meta_leads.items()))
    stats = _pull(con, platforms, form_id)
    assert stats.pulled == len(leads)
    assert stats.pages == -(-len(leads) // 40)
    assert sorted(_raw_ids(con)) == sorted(lead["id"] for lead in leads)
    payload = con.execute(
        "select payload from raw.meta_lead_ads_leads where _record_id = ?", [leads[0]["id"]]
    ).fetchone()[0]
    assert '"field_data"' in payload and leads[0]["created_time"] in payload
    source = con.execute("select distinct _source from raw.meta_lead_ads_leads").fetchall()
    assert source == [(f"meta_lead_ads/{form_id}",)]


def test_retries_429_with_retry_after_then_succeeds(con, data, platforms):
    form_id, leads = next(iter(data.meta_leads.items()))
    platforms.meta.faults.extend([too_many_requests(retry_after=1), too_many_requests(1)])
    stats = _pull(con, platforms, form_id)
    assert stats.pulled == len(leads)
    assert len(platforms.meta.faults) == 0


def test_retries_5xx(con, data, platforms):
    form_id, leads = next(iter(data.meta_leads.items()))
    platforms.meta.faults.extend([server_error(), server_error()])
    assert _pull(con, platforms, form_id).pulled == len(leads)


def test_redelivery_does_not_duplicate(con, data, platforms):
    form_id, leads = next(iter(data.meta_leads.items()))
    _pull(con, platforms, form_id, run_id="run-1")
    con.execute("delete from ops.ingestion_cursors")  # force the platform to send everything again
    _pull(con, platforms, form_id, run_id="run-2")
    assert len(_raw_ids(con)) == len(leads)
    runs = con.execute("select distinct _run_id from raw.meta_lead_ads_leads").fetchall()
    assert runs == [("run-1",)], "unchanged re-delivered records keep the run that landed them"


def test_incremental_run_pulls_only_new_leads(con, data, generator, platforms):
    form_id = next(iter(data.meta_leads))
    _pull(con, platforms, form_id)
    before = len(data.meta_leads[form_id])
    generator.add(
        data, 60, start=generator.now + timedelta(hours=2), end=generator.now + timedelta(hours=3)
    )
    new = len(data.meta_leads[form_id]) - before
    assert new > 0
    stats = _pull(con, platforms, form_id, run_id="run-2")
    assert new <= stats.pulled < new + 10  # new ones plus the lookback window's few
    assert len(_raw_ids(con)) == before + new


def test_wrong_token_names_the_setting(con, data, platforms):
    form_id = next(iter(data.meta_leads))
    with pytest.raises(AuthError, match="LEADPIPE_META_ACCESS_TOKEN"):
        _pull(con, platforms, form_id, token="expired")
