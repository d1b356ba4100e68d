"""Quirks of HubSpot forms, LinkedIn, Google Ads, Zoom, GoToWebinar, Tally and Intercom beyond
the connector contract."""

from datetime import UTC, datetime, timedelta

import pytest

from ingestion.connector import Window
from ingestion.gotowebinar import GoToWebinarRegistrants
from leadpipe.errors import AuthError, ConfigError, PlatformError
from sandbox.channels import tally as sandbox_tally
from sandbox.standins.server import RollingLimit
from tests.ingestion.contract import PLATFORMS

LOOKBACK = timedelta(hours=1)
BY_NAME = {platform.name: platform for platform in PLATFORMS}


def _connector(platforms, name, page_size=None, **options):
    return BY_NAME[name].connector(platforms, None, page_size, **options)


def _count(con, table):
    return con.execute(f"select count(*) from raw.{table}").fetchone()[0]


def test_hubspot_forms_stop_paging_at_the_watermark(con, data, platforms):
    form, submissions = max(data.records("hubspot_forms").items(), key=lambda kv: len(kv[1]))
    connector = _connector(platforms, "hubspot_forms", page_size=5)
    connector.pull(con, form, "run-1", LOOKBACK)
    assert _count(con, "hubspot_form_submissions") == len(submissions)
    platforms.hubspot_forms.requests.clear()
    connector.pull(con, form, "run-2", LOOKBACK)  # nothing new: newest first, stop early
    assert len(platforms.hubspot_forms.requests) <= 2 < len(submissions) // 5


def test_linkedin_lands_each_form_definition_once(con, data, platforms):
    account = next(iter(data.records("linkedin_lead_sync")))
    connector = _connector(platforms, "linkedin_lead_sync")
    connector.pull(con, account, "run-1", LOOKBACK)
    forms = con.execute("select _record_id from raw.linkedin_lead_forms order by 1").fetchall()
    assert forms == [("6100001",), ("6100002",)]
    platforms.linkedin.requests.clear()
    connector.pull(con, account, "run-2", LOOKBACK)
    assert not [path for _, path in platforms.linkedin.requests if "leadForms" in path]


def test_linkedin_without_a_version_header_is_refused_with_the_reason(con, data, platforms):
    account = next(iter(data.records("linkedin_lead_sync")))
    connector = _connector(platforms, "linkedin_lead_sync")
    del connector.session.headers["LinkedIn-Version"]
    with pytest.raises(PlatformError, match="VERSION_MISSING"):
        connector.pull(con, account, "run-1", LOOKBACK)


def test_google_ads_needs_the_developer_token(con, data, platforms, monkeypatch):
    monkeypatch.setenv("LEADPIPE_GOOGLE_ADS_DEVELOPER_TOKEN", "wrong")
    connector = _connector(platforms, "google_ads")
    with pytest.raises(AuthError, match="LEADPIPE_GOOGLE_ADS_DEVELOPER_TOKEN"):
        connector.pull(con, next(iter(data.records("google_ads"))), "run-1", LOOKBACK)


def test_zoom_asks_for_300_a_page_not_the_default_30(con, generator, data, platforms):
    webinar = next(iter(data.records("zoom_registrants")))
    generator.add(data, 200, generator.now - timedelta(days=2), generator.now, ("zoom",))
    registrants = data.records("zoom_registrants")[webinar]
    assert 30 < len(registrants) <= 300
    platforms.zoom.requests.clear()
    _connector(platforms, "zoom_registrants").pull(con, webinar, "run-1", LOOKBACK)
    assert _count(con, "zoom_webinar_registrants") == len(registrants)
    api_calls = [path for _, path in platforms.zoom.requests if path.startswith("/v2/")]
    assert len(api_calls) == 1


def test_zoom_renews_its_token_before_it_expires(con, data, platforms):
    platforms.zoom.token_seconds = 0.3  # an hour on the real platform (renewed 5 min early)
    platforms.zoom.latency = 0.02  # so the pull outlives a token
    webinar, registrants = next(iter(data.records("zoom_registrants").items()))
    connector = _connector(platforms, "zoom_registrants", page_size=1)
    connector.pull(con, webinar, "run-1", LOOKBACK)
    assert _count(con, "zoom_webinar_registrants") == len(registrants)
    assert connector.session.auth.renewals == platforms.zoom.grants > 1


def test_zoom_refused_client_credentials_name_the_settings(con, data, platforms, monkeypatch):
    monkeypatch.setenv("LEADPIPE_ZOOM_CLIENT_ID", "someone-else")
    connector = _connector(platforms, "zoom_registrants")
    with pytest.raises(AuthError, match="LEADPIPE_ZOOM_ACCOUNT_ID, LEADPIPE_ZOOM_CLIENT_ID"):
        connector.pull(con, next(iter(data.records("zoom_registrants"))), "run-1", LOOKBACK)


def test_tally_lands_the_questions_and_paces_under_the_limit(con, data, platforms):
    platforms.tally.limit = RollingLimit(4, 1.0)  # 100 a minute on the real platform
    form, submissions = max(data.records("tally").items(), key=lambda kv: len(kv[1]))
    connector = _connector(platforms, "tally", page_size=3, requests_per_minute="200")
    connector.pull(con, form, "run-1", LOOKBACK)
    assert _count(con, "tally_submissions") == len(submissions)
    assert platforms.tally.limit.refused == 0
    questions = con.execute("select count(*) from raw.tally_questions").fetchone()[0]
    assert questions == len(sandbox_tally.QUESTIONS)


def test_gotowebinar_stays_under_ten_requests_a_second(con, data, generator, platforms):
    webinar = next(iter(data.records("gotowebinar_registrants")))
    generator.add(data, 150, generator.now - timedelta(days=3), generator.now, ("gotowebinar",))
    default_pace = str(GoToWebinarRegistrants.requests_per_minute)  # the tests' own is faster
    connector = _connector(
        platforms, "gotowebinar_registrants", page_size=5, requests_per_minute=default_pace
    )
    connector.pull(con, webinar, "run-1", LOOKBACK)
    assert _count(con, "gotowebinar_registrants") == len(
        data.records("gotowebinar_registrants")[webinar]
    )
    assert len(platforms.gotowebinar.requests) > 20  # enough to break the limit unpaced
    assert platforms.gotowebinar.limit.refused == 0


def test_gotowebinar_429_without_retry_after_is_retried_with_backoff(con, data, platforms):
    webinar, registrants = next(iter(data.records("gotowebinar_registrants").items()))
    platforms.gotowebinar.limit = RollingLimit(2, 1.0)
    connector = _connector(
        platforms, "gotowebinar_registrants", page_size=5, requests_per_minute="6000"
    )
    connector.pull(con, webinar, "run-1", LOOKBACK)
    assert _count(con, "gotowebinar_registrants") == len(registrants)
    pages = -(-len(registrants) // 5)
    assert 0 < platforms.gotowebinar.limit.refused <= 2 * pages  # backed off: no storm


def test_gotowebinar_needs_the_organizer_key(con, data, platforms):
    connector = _connector(platforms, "gotowebinar_attendees", organizer_key="")
    with pytest.raises(ConfigError, match="organizer_key"):
        connector.pull(con, next(iter(data.records("gotowebinar_attendees"))), "run-1", LOOKBACK)


def test_gotowebinar_refused_refresh_token_names_the_settings(con, data, platforms, monkeypatch):
    monkeypatch.setenv("LEADPIPE_GOTO_REFRESH_TOKEN", "revoked")
    connector = _connector(platforms, "gotowebinar_registrants")
    with pytest.raises(AuthError, match="LEADPIPE_GOTO_REFRESH_TOKEN"):
        connector.pull(con, next(iter(data.records("gotowebinar_registrants"))), "run-1", LOOKBACK)


def test_intercom_day_granular_search_still_finds_a_lead_from_earlier_that_day(
    con, data, platforms
):
    contacts = data.records("intercom_contacts")["workspace"]
    latest = max(contacts, key=lambda c: c["updated_at"])
    start = datetime.fromtimestamp(latest["updated_at"] - 60, UTC)  # "> start" alone: next day
    connector = _connector(platforms, "intercom_contacts")
    pulled = [c["id"] for page in connector.pages("workspace", Window(start)) for c in page]
    assert latest["id"] in pulled


def test_intercom_waits_for_the_rate_limit_reset_instead_of_collecting_429s(con, data, platforms):
    platforms.intercom.per_window, platforms.intercom.window_seconds = 3, 1  # 1,666 per 10 s
    connector = _connector(platforms, "intercom_conversations", page_size=2)
    connector.pull(con, "workspace", "run-1", LOOKBACK)
    assert _count(con, "intercom_conversations") == len(
        data.records("intercom_conversations")["workspace"]
    )
    assert len(platforms.intercom.requests) > 6
    assert platforms.intercom.rate_limited == 0


def test_intercom_lead_enriched_later_by_the_bot_is_pulled_again(con, data, platforms):
    connector = _connector(platforms, "intercom_contacts")
    connector.pull(con, "workspace", "run-1", LOOKBACK)
    contact = max(data.records("intercom_contacts")["workspace"], key=lambda c: c["updated_at"])
    contact["phone"] = "+33 6 12 34 56 78"  # given in a second chat
    contact["updated_at"] += 3600
    connector.pull(con, "workspace", "run-2", LOOKBACK)
    landed = con.execute(
        "select payload ->> 'phone' from raw.intercom_contacts where _record_id = ?",
        [contact["id"]],
    ).fetchone()
    assert landed == ("+33 6 12 34 56 78",)
