"""Reverse ETL: the hot-leads segment, gated by consent and GX, diff-synced to HubSpot."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from activation.destinations.hubspot import HubSpotContacts
from activation.sync import run_sync
from activation.syncs import HUBSPOT_HOT_LEADS
from expectations.runner import validate
from orchestration.failures import user_errors_as_failures
from orchestration.resources import PlatformResource

SEGMENT = dg.AssetKey(["marts", "seg_hot_leads_sales_contact"])
GATE_NAME = "crm_outgoing_gate"


class SyncConfig(dg.Config):
    full_resync: bool = False  # send every record again, changed or not


@dg.asset_check(
    asset=SEGMENT,
    name=GATE_NAME,
    blocking=True,
    description="GX suite crm_outgoing on the segment headed for the CRM; failing stops the sync.",
)
def crm_outgoing_gate(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        rows = con.execute(f"select * from {HUBSPOT_HOT_LEADS.segment}").df()
    result = validate(rows, HUBSPOT_HOT_LEADS.suite)
    return dg.AssetCheckResult(
        passed=result.success,
        description=result.describe(),
        metadata={
            "rows": result.row_count,
            **{f"failed: {rule.rule}": rule.unexpected_count for rule in result.failures},
        },
    )


@dg.asset(
    key=["hubspot", "contacts_sync"],
    deps=[SEGMENT],
    group_name="activation",
    kinds={"hubspot"},
    description="Diff-syncs the hot leads with sales-contact consent to HubSpot contacts.",
)
def hubspot_contacts_sync(
    context: dg.AssetExecutionContext,
    config: SyncConfig,
    warehouse: DuckDBResource,
    hubspot: PlatformResource,
) -> dg.MaterializeResult:
    if not hubspot.enabled:
        context.log.info("the hubspot destination is disabled in leadpipe.yml: nothing sent")
        return dg.MaterializeResult(metadata={"enabled": False, "sent": 0})
    contacts = HubSpotContacts(hubspot.session(), hubspot.base_url)
    with user_errors_as_failures(), warehouse.get_connection() as con:
        report = run_sync(
            con, HUBSPOT_HOT_LEADS, contacts.upsert, context.run_id, config.full_resync
        )
    return dg.MaterializeResult(
        metadata={
            **report.planned,
            "sent": report.sent,
            "succeeded": report.succeeded,
            "failed": report.failed,
            "created": report.created,
            "requests": contacts.requests,
        }
    )
