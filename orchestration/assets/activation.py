"""Reverse ETL: the hot-leads segment, gated by consent and GX, upserted into HubSpot."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from activation.sync import sync_to_hubspot
from expectations.runner import validate
from orchestration.failures import user_errors_as_failures
from orchestration.resources import PlatformResource

SEGMENT = dg.AssetKey(["marts", "seg_hot_leads_sales_contact"])
SEGMENT_RELATION = "marts.seg_hot_leads_sales_contact"
PURPOSE = "sales_contact"
GATE_NAME = "crm_outgoing_gate"


@dg.asset_check(
    asset=SEGMENT,
    name=GATE_NAME,
    blocking=True,
    description="GX suite crm_outgoing on the segment headed for the CRM; failing stops the sync.",
)
def crm_outgoing_gate(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        rows = con.execute(f"select * from {SEGMENT_RELATION}").df()
    result = validate(rows, "crm_outgoing")
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
    description="Upserts the hot leads with sales-contact consent into HubSpot contacts.",
)
def hubspot_contacts_sync(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, hubspot: PlatformResource
) -> dg.MaterializeResult:
    with user_errors_as_failures(), warehouse.get_connection() as con:
        report = sync_to_hubspot(
            con,
            hubspot.session(),
            hubspot.base_url,
            SEGMENT_RELATION,
            PURPOSE,
            run_id=context.run_id,
            sync_name="hubspot_hot_leads",
        )
    return dg.MaterializeResult(
        metadata={
            "rows_in_segment": report.rows_in_segment,
            "refused_by_consent": report.refused_by_consent,
            "sent": report.sent,
            "succeeded": report.succeeded,
            "failed": report.failed,
            "created": report.created,
        }
    )
