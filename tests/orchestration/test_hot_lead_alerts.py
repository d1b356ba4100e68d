"""The hot-lead alert sensor: asks for a run of the alert syncs when a consented hot lead has
not been announced, skips otherwise, and never holds the warehouse."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from activation.destinations.slack import Slack
from activation.plan import SyncSpec
from activation.sync import run_sync
from activation.syncs import sync_specs
from leadpipe.config import LeadpipeConfig
from leadpipe.http import build_session
from leadpipe.settings import warehouse_path
from leadpipe.warehouse import connect
from orchestration.assets.activation import sync_asset, sync_key
from orchestration.sensors import hot_lead_alerts
from sandbox.segment_warehouse import write_segment
from sandbox.standins import SlackStandIn

ALERTS = SyncSpec(
    name="slack_hot_lead_alerts",
    destination="slack",
    segment="hot_leads_sales_contact",
    mode="insert_only",
    fields=Slack.default_fields,
)
CRM = SyncSpec(
    name="crm", destination="hubspot", segment="hot_leads_sales_contact", mode="upsert", fields={}
)


def _evaluate(sensor):
    definitions = dg.Definitions(
        assets=[sync_asset(CRM), sync_asset(ALERTS)],
        sensors=[sensor],
        resources={"warehouse": DuckDBResource(database=str(warehouse_path()))},
    )
    return sensor.evaluate_tick(dg.build_sensor_context(definitions=definitions))


def test_no_alert_sync_means_no_sensor():
    assert hot_lead_alerts([CRM]) == []


def test_asks_for_the_alert_syncs_only_when_someone_waits(con, warehouse_file):
    [sensor] = hot_lead_alerts([CRM, ALERTS])
    syncs = [sync_asset(CRM), sync_asset(ALERTS)]
    assert sensor.asset_selection.resolve(syncs) == {sync_key(ALERTS.name)}
    assert _evaluate(sensor).skip_message.startswith("the warehouse is busy")  # held by `con`
    write_segment(con, 4)
    con.execute("update marts.segment_memberships set is_marketable = false where lead_id = 'ld_4'")
    con.close()
    [request] = _evaluate(sensor).run_requests
    assert request.run_key.startswith("hot-leads-")
    con = connect(warehouse_file)
    with SlackStandIn(per_second=None) as slack:
        run_sync(con, ALERTS, Slack(build_session(), slack.url, 600), "r1")
    con.close()
    assert _evaluate(sensor).skip_message == "no new hot lead to announce"


def test_definitions_with_every_destination_load():
    from orchestration.definitions import build_assets
    from orchestration.resources import build_resources
    from orchestration.schedules import daily_pipeline, intraday_leads, intraday_schedule
    from sandbox.platforms import SANDBOX_SYNCS

    config = LeadpipeConfig(syncs=SANDBOX_SYNCS)
    defs = dg.Definitions(
        assets=build_assets(config),
        jobs=[daily_pipeline, intraday_leads],
        schedules=[intraday_schedule],
        sensors=hot_lead_alerts(sync_specs(config)),
        resources=build_resources(),
    )
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("intraday_leads")
    selected = job.asset_layer.selected_asset_keys
    assert selected and not any(key.path[0] == "activation" for key in selected)
