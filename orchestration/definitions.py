"""The Dagster code location: `dagster dev -w workspace.yaml` loads `defs` from here.

Every asset writing the warehouse runs in one process, one step at a time (DuckDB allows a
single writer), so the job uses the in-process executor.
"""

import dagster as dg

from orchestration.assets import activation, dbt, enrichment, ingestion
from orchestration.resources import build_resources
from orchestration.schedules import daily_pipeline, daily_schedule

ASSETS = [
    *ingestion.SOURCE_ASSETS,
    dbt.dbt_contacts,
    *enrichment.CACHE_ASSETS,
    dbt.dbt_leads,
    activation.hubspot_contacts_sync,
]
CHECKS = [activation.crm_outgoing_gate]

defs = dg.Definitions(
    assets=ASSETS,
    asset_checks=CHECKS,
    jobs=[daily_pipeline],
    schedules=[daily_schedule],
    resources=build_resources(),
    executor=dg.in_process_executor,
)
