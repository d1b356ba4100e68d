"""dbt source freshness per channel, as Dagster asset checks on the raw tables."""

from datetime import UTC, datetime, timedelta

import dagster as dg
from dagster_duckdb import DuckDBResource

from ingestion.landing import ensure_raw_table
from leadpipe.warehouse import connect, ensure_schemas
from orchestration.assets.freshness import CHECK_NAME, RULES, source_freshness
from orchestration.resources import SourceResource

LEAD_TABLES = {
    "meta_lead_ads_leads",
    "typeform_responses",
    "hubspot_form_submissions",
    "linkedin_lead_form_responses",
    "google_ads_lead_form_submissions",
    "zoom_webinar_registrants",
    "zoom_webinar_participants",
    "gotowebinar_registrants",
    "gotowebinar_attendees",
    "tally_submissions",
    "intercom_contacts",
    "intercom_conversations",
}


def test_every_lead_channel_has_a_freshness_rule_from_dbt_and_nothing_else():
    assert {rule.table for rule in RULES} == LEAD_TABLES
    by_table = {rule.table: rule for rule in RULES}
    assert by_table["meta_lead_ads_leads"].warn_after == timedelta(days=2)
    assert by_table["zoom_webinar_registrants"].error_after == timedelta(days=30)


def test_stale_silent_and_switched_off_channels_are_told_apart(warehouse_file):
    con = connect(warehouse_file)
    ensure_schemas(con)
    now = datetime.now(UTC)
    landed = {table: now - timedelta(hours=1) for table in LEAD_TABLES}
    landed |= {
        "typeform_responses": now - timedelta(days=3),  # past warn_after (2 days)
        "tally_submissions": now - timedelta(days=8),  # past error_after (7 days)
        "zoom_webinar_registrants": now - timedelta(days=60),  # but Zoom is switched off
    }
    del landed["gotowebinar_attendees"]  # on, and never delivered anything
    for table in LEAD_TABLES:
        ensure_raw_table(con, table)
    for table, at in landed.items():
        con.execute(f"insert into raw.{table} values ('s', 'r1', '{{}}', ?, ?, 'run')", [at, at])
    con.close()
    off = {"zoom_registrants", "zoom_participants"}
    resources = {
        rule.platform: SourceResource(platform=rule.platform, enabled=True) for rule in RULES
    }
    resources |= {name: SourceResource(platform=name, enabled=False) for name in off}
    result = dg.materialize(
        [source_freshness],
        selection=dg.AssetSelection.checks(source_freshness),
        resources={"warehouse": DuckDBResource(database=str(warehouse_file)), **resources},
    )
    evaluations = {
        e.asset_key.path[-1]: e
        for e in result.get_asset_check_evaluations()
        if e.check_name == CHECK_NAME
    }
    assert evaluations.keys() == LEAD_TABLES
    verdicts = {table: e.metadata["status"].value for table, e in evaluations.items()}
    assert verdicts["typeform_responses"] == "warn"
    assert verdicts["tally_submissions"] == "error"
    assert verdicts["gotowebinar_attendees"] == "error"
    assert evaluations["gotowebinar_attendees"].metadata["newest_record_landed_at"].value == "never"
    assert evaluations["zoom_webinar_registrants"].passed  # switched off: not judged
    assert "switched off" in evaluations["zoom_webinar_registrants"].description
    failed = {table for table, e in evaluations.items() if not e.passed}
    assert failed == {"typeform_responses", "tally_submissions", "gotowebinar_attendees"}
    assert evaluations["typeform_responses"].severity == dg.AssetCheckSeverity.WARN
    assert evaluations["tally_submissions"].severity == dg.AssetCheckSeverity.ERROR
