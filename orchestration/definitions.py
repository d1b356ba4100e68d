"""The Dagster code location: `dagster dev -w workspace.yaml` loads `defs` from here.

Every asset writing the warehouse runs in one process, one step at a time (DuckDB allows a
single writer), so the job uses the in-process executor.
"""

import dagster as dg

from activation.syncs import sync_specs
from leadpipe.config import LeadpipeConfig
from orchestration.assets import (
    activation,
    consent,
    dbt,
    enrichment,
    freshness,
    ingestion,
    privacy,
    quality,
)
from orchestration.resources import build_resources, file_config
from orchestration.schedules import (
    daily_pipeline,
    daily_schedule,
    intraday_leads,
    intraday_schedule,
)
from orchestration.sensors import hot_lead_alerts

PIPELINE_ASSETS = [
    *ingestion.SOURCE_ASSETS,
    dbt.dbt_contacts,
    *enrichment.CACHE_ASSETS,
    privacy.erasures,
    dbt.dbt_leads,
    consent.consent_ledger,
]
ASSET_CHECKS = [*quality.QUALITY_CHECKS, freshness.source_freshness]


def build_assets(config: LeadpipeConfig) -> list[dg.AssetsDefinition]:
    """Every asset: the pipeline's, one per sync configured in leadpipe.yml, then the warehouse
    compaction and the quality docs.

    Those two follow what an erasure rebuilds (the erasure itself, and the ledger, which comes
    after the whole lead-models step), not the syncs: a sync stopped by its gate must not leave
    an erased person's bytes in the file. Their low priority still runs them after the syncs.
    """
    last = [*privacy.erasures.keys, *consent.consent_ledger.keys]
    return [
        *PIPELINE_ASSETS,
        *activation.sync_assets(config),
        privacy.compaction_asset(last),
        quality.docs_asset(last),
    ]


defs = dg.Definitions(
    assets=build_assets(file_config()),
    asset_checks=ASSET_CHECKS,
    jobs=[daily_pipeline, intraday_leads],
    schedules=[daily_schedule, intraday_schedule],
    sensors=hot_lead_alerts(sync_specs(file_config())),
    resources=build_resources(),
    executor=dg.in_process_executor,
)
