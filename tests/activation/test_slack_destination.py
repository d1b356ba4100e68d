"""Slack hot-lead alerts: each new hot lead once, no email or phone, paced under Slack's rate."""

import pytest

from activation.destinations.slack import MESSAGES_PER_MINUTE, Slack
from activation.plan import SyncSpec
from activation.sync import run_sync
from leadpipe.errors import AuthError, PlatformError
from leadpipe.http import build_session
from sandbox.segment_warehouse import write_segment
from sandbox.standins import SlackStandIn

SPEC = SyncSpec(
    name="hot_lead_alerts",
    destination="slack",
    segment="hot_leads_sales_contact",
    mode="insert_only",
    fields=Slack.default_fields,
)


def _alert(con, slack, run_id, url=None, per_minute=600):
    client = Slack(build_session(), url or slack.url, per_minute)
    return run_sync(con, SPEC, client, run_id), client


def test_each_new_hot_lead_is_announced_once_without_contact_details(con):
    write_segment(con, 3)
    with SlackStandIn(per_second=None) as slack:
        report, _ = _alert(con, slack, "r1")
        assert report.succeeded == 3 and len(slack.messages) == 1
        text = str(slack.messages[0])
        assert "Jean D., CEO, Acme" in text and "ld_2" in text and "Demo request" in text
        assert "@" not in text and "+336" not in text and "Dupont" not in text
        con.execute("update marts.dim_leads set total_score = 95")  # still hot: no new alert
        con.execute(
            "insert into marts.dim_leads by name select * replace ('ld_9' as lead_id, "
            "'person9@acme.example' as email, 'person9@acme.example' as email_match_key) "
            "from marts.dim_leads limit 1;"
            "insert into marts.segment_memberships values "
            "('hot_leads_sales_contact', 'sales_contact', 'ld_9', true);"
            "insert into marts.consent_current select * replace ('person9@acme.example' as "
            "identifier) from marts.consent_current limit 1"
        )
        report, _ = _alert(con, slack, "r2")
        assert report.sent == 1 and "ld_9" in str(slack.messages[1])


def test_many_leads_go_ten_to_a_message_paced_without_429s(con):
    write_segment(con, 25)
    with SlackStandIn(per_second=1) as slack:
        report, client = _alert(con, slack, "r1", per_minute=MESSAGES_PER_MINUTE)
        assert report.succeeded == 25 and client.requests == 3
        assert slack.rate_limited == 0 and len(slack.messages) == 3


def test_a_dead_webhook_names_the_setting(con):
    write_segment(con, 1)
    with SlackStandIn() as slack, pytest.raises(AuthError, match="LEADPIPE_SLACK_WEBHOOK_URL"):
        _alert(con, slack, "r1", url=f"{slack.base_url}/services/T0000/B0000/revoked")


def test_a_webhook_that_cannot_be_reached_names_its_setting_and_logs_no_secret(con, caplog):
    """A Slack webhook URL's path is its secret: neither the message nor a log line shows it."""
    write_segment(con, 1)
    secret_url = "http://127.0.0.1:9/services/T0SECRET/B0SECRET/XSECRETTOKEN"
    client = Slack(build_session(), secret_url, 600)
    with caplog.at_level("INFO"), pytest.raises(PlatformError) as raised:
        run_sync(con, SPEC, client, "r1")
    assert str(raised.value) == (
        "Cannot reach http://127.0.0.1:9: check LEADPIPE_SLACK_WEBHOOK_URL and the network."
    )
    assert "SECRET" not in caplog.text
    assert con.execute("select count(*) from ops.sync_state").fetchall() == [(0,)]
