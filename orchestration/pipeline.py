"""Run the daily pipeline in stages (in process), timing each and collecting what happened.

The same assets and checks as the Dagster job, materialised stage by stage so the CLI can show
progress and the benchmark can time each stage. A source that fails does not stop the others,
nor the rest of the run on what they landed. A sync whose gate fails sends nothing; the other
syncs still run, and so does the last stage (an erasure's compaction must not wait for a clean
sync). Any other failed stage stops the run.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import dagster as dg

from leadpipe.settings import warehouse_path
from leadpipe.warehouse import connect
from orchestration.assets import (
    activation,
    consent,
    dbt,
    enrichment,
    freshness,
    ingestion,
    privacy,
)
from orchestration.dbt_builds import forget_builds
from orchestration.definitions import ASSET_CHECKS, build_assets
from orchestration.resources import build_resources, file_config
from orchestration.settings_check import check_settings

COMPACTION = dg.AssetKey(["ops", "warehouse_compaction"])
QUALITY_DOCS = dg.AssetKey(["ops", "quality_docs"])
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}

STAGES: list[tuple[str, str, dg.AssetSelection]] = [
    (
        "ingest",
        "Pulling leads from the platforms",
        dg.AssetSelection.assets(*ingestion.SOURCE_ASSETS)
        - dg.AssetSelection.checks(freshness.source_freshness),
    ),
    (
        "dbt",
        "Staging and unifying contacts (dbt); how fresh each channel is",
        dg.AssetSelection.assets(dbt.dbt_contacts)
        | dg.AssetSelection.checks(freshness.source_freshness),
    ),
    (
        "enrich",
        "Enriching new emails, phones, countries and job titles; erasing who asked",
        dg.AssetSelection.assets(*enrichment.CACHE_ASSETS, privacy.erasures),
    ),
    (
        "dbt",
        "Resolving identity, consent and scores (dbt)",
        dg.AssetSelection.assets(dbt.dbt_leads, consent.consent_ledger),
    ),
    (
        "activate",
        "Checking and syncing consented segments to their destinations",
        dg.AssetSelection.groups(activation.GROUP),
    ),
    (
        "compact",
        "Compacting the warehouse after erasures; quality docs",
        dg.AssetSelection.keys(COMPACTION, QUALITY_DOCS),
    ),
]
ERASE = [stage for stage in STAGES if stage[0] != "ingest"]  # leadpipe forget


@dataclass
class PipelineRun:
    seconds: dict[str, float] = field(default_factory=dict)
    metadata: dict[str, dict] = field(default_factory=dict)  # asset key -> materialisation metadata
    checks: dict[str, bool] = field(default_factory=dict)  # check name -> passed
    failure: str | None = None
    blocked: list[str] = field(default_factory=list)  # syncs stopped by their gate, and why
    source_failures: dict[str, str] = field(default_factory=dict)  # raw asset step -> message

    @property
    def ok(self) -> bool:
        return self.failure is None and not self.blocked and not self.source_failures


def _failure_messages(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    """What each failed step said: the user-facing description, else the root error."""
    messages = {}
    for event in result.all_events:
        if event.is_step_failure:
            data = event.step_failure_data
            if data.user_failure_data and data.user_failure_data.description:
                messages[event.step_key] = data.user_failure_data.description
                continue
            error = data.error
            while error is not None and error.cause is not None:
                error = error.cause
            messages[event.step_key] = (
                f"{event.step_key}: {error.message.strip() if error else 'failed'}"
            )
    return messages or {"run": "the run failed"}


def run_pipeline(
    on_stage: Callable[[str, str], None] = lambda name, label: None,
    stages: list[tuple[str, str, dg.AssetSelection]] = STAGES,
    full_resync: bool = False,
    backfill: tuple[str, str] | None = None,
    rebuild: bool = False,
) -> PipelineRun:
    """Materialise the stages in order with the resources configured in leadpipe.yml; with
    `backfill` (first day, last day) the sources pull that window instead of their increment;
    with `rebuild`, every dbt model is rebuilt from scratch instead of incrementally."""
    check_settings()
    if rebuild:
        con = connect(warehouse_path())
        try:
            forget_builds(con)
        finally:
            con.close()
    partitions = {}
    if backfill:
        first, last = ingestion.backfill_days(*backfill)
        partitions = {
            "dagster/asset_partition_range_start": first,
            "dagster/asset_partition_range_end": last,
        }
    resources = build_resources()
    assets = build_assets(file_config())
    sync_ops = {
        key.to_python_identifier(): {"config": {"full_resync": full_resync}}
        for asset in assets
        for key in asset.keys
        if key.path[0] == activation.GROUP
    }
    with dg.DagsterInstance.ephemeral() as instance:  # disposed here, not by a stray GC
        run = PipelineRun()
        config = {"activate": {"ops": sync_ops}}
        for name, label, selection in stages:
            on_stage(name, label)
            started = time.perf_counter()
            result = dg.materialize(
                [*assets, *ASSET_CHECKS],
                selection=selection,
                resources=resources,
                instance=instance,
                run_config={**QUIET, **config.get(name, {})},
                tags=partitions if name == "ingest" else None,
                raise_on_error=False,
            )
            run.seconds[name] = run.seconds.get(name, 0.0) + time.perf_counter() - started
            for event in result.get_asset_materialization_events():
                materialization = event.step_materialization_data.materialization
                run.metadata[materialization.asset_key.to_user_string()] = {
                    key: value.value for key, value in materialization.metadata.items()
                }
            for evaluation in result.get_asset_check_evaluations():
                check = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
                run.checks[check] = evaluation.passed
                if evaluation.check_name == activation.GATE_CHECK and not evaluation.passed:
                    run.blocked.append(evaluation.description or f"{check} failed")
            if result.success:
                continue
            failures = _failure_messages(result)
            if name == "ingest":  # the other sources' data still flows
                run.source_failures = failures
            elif name == "activate":  # the run still compacts after an erasure
                others = [message for message in failures.values() if message not in run.blocked]
                run.failure = others[0] if others else None
            else:
                run.failure = run.failure or next(iter(failures.values()))
                return run
    return run
