"""Erasure: pending requests (and records of erased people that arrive again) are processed
before the leads are rebuilt, and the warehouse file is compacted after the syncs."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from activation.destinations import DESTINATIONS
from activation.erasure import erase_at_destinations
from activation.plan import SyncSpec
from activation.syncs import sync_specs
from leadpipe.erasure import (
    ERASED_REASON,
    RETENTION_REASON,
    compact,
    erase_consent_history,
    find_erased,
    find_stale,
    log_erasure,
    mark_checked,
    needs_compaction,
    purge,
)
from orchestration.assets import RUN_LAST
from orchestration.assets.enrichment import CACHE_ASSETS, UNIFIED_CONTACTS
from orchestration.dbt_builds import forget_builds
from orchestration.failures import user_errors_as_failures
from orchestration.resources import file_config

GROUP = "privacy"


def _destination(spec: SyncSpec):
    settings = file_config().destination(spec.destination)
    if not settings.enabled:
        return None
    return DESTINATIONS[spec.destination].from_settings(settings, spec)


@dg.asset(
    key=["ops", "erasure_log"],
    deps=[UNIFIED_CONTACTS, *(key for asset in CACHE_ASSETS for key in asset.keys)],
    group_name=GROUP,
    kinds={"duckdb"},
    description="Processes erasure requests: the person deleted from raw, unified contacts, "
    "enrichment caches, the consent ledger and every destination that received them; records "
    "of an erased person that arrive again are deleted on arrival; people inactive past "
    "`retention_days` are purged the same way. One PII-free audit row per request or purge.",
)
def erasures(warehouse: DuckDBResource) -> dg.MaterializeResult:
    config = file_config()
    specs = sync_specs(config)
    figures = {
        "leads_erased": 0,
        "records_erased": 0,
        "raw_rows_deleted": 0,
        "consent_events_deleted": 0,
    }
    with user_errors_as_failures(), warehouse.get_connection() as con:
        erased = find_erased(con)
        pending = con.execute(
            "select count(*) from ops.erasure_requests where processed_at is null"
        ).fetchall()[0][0]
        for person, reason, due in (
            (erased, ERASED_REASON, bool(erased) or pending > 0),
            (find_stale(con, config.retention_days), RETENTION_REASON, None),
        ):
            if not (due or person):
                continue
            destinations = erase_at_destinations(con, person.lead_ids, specs, _destination)
            raw_deleted = purge(con, person)
            ledger = erase_consent_history(con, person)
            log_erasure(con, person, raw_deleted, destinations, reason, ledger)
            if person.lead_ids:
                forget_builds(con, "dbt_leads")  # rebuilt from what remains, this run
            figures[f"{reason}: leads"] = len(person.lead_ids)
            figures["leads_erased"] += len(person.lead_ids)
            figures["records_erased"] += len(person.record_keys)
            figures["raw_rows_deleted"] += raw_deleted
            figures["consent_events_deleted"] += ledger
            figures[f"{reason}: destinations"] = destinations
        mark_checked(con)
    return dg.MaterializeResult(metadata=figures)


def compaction_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """Rewrites the warehouse file after an erasure, once the models are rebuilt: after the
    syncs too (lowest priority), but not skipped when one of them is blocked or fails."""

    @dg.asset(
        key=["ops", "warehouse_compaction"],
        deps=upstream,
        group_name=GROUP,
        kinds={"duckdb"},
        op_tags=RUN_LAST,
        description="After an erasure, rewrites the warehouse file from its live rows so the "
        "erased values are nowhere on disk.",
    )
    def _compaction(warehouse: DuckDBResource) -> dg.MaterializeResult:
        with warehouse.get_connection() as con:
            needed = needs_compaction(con)
        if needed:  # the connection is closed: the file can be swapped
            compact(Path(warehouse.database))
        return dg.MaterializeResult(metadata={"compacted": needed})

    return _compaction
