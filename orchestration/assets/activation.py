"""Reverse ETL: one asset per configured sync, downstream of the segments, each with a blocking
check that the rows it would send pass the consent gate and the outgoing GX suite."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from activation.destinations import DESTINATIONS
from activation.plan import SyncSpec
from activation.sync import GateViolation, run_sync
from activation.syncs import sync_specs
from leadpipe.config import LeadpipeConfig
from orchestration.failures import user_errors_as_failures
from orchestration.resources import file_config

SEGMENTS = dg.AssetKey(["marts", "segment_memberships"])
GATE_CHECK = "outgoing_gate"
GROUP = "activation"


class SyncRunConfig(dg.Config):
    full_resync: bool = False  # send every record again, changed or not


def sync_key(name: str) -> dg.AssetKey:
    return dg.AssetKey([GROUP, name])


def _gate_result(spec: SyncSpec, passed: bool, description: str, metadata: dict):
    return dg.AssetCheckResult(
        asset_key=sync_key(spec.name),
        check_name=GATE_CHECK,
        passed=passed,
        description=description,
        metadata=metadata,
    )


def sync_asset(spec: SyncSpec) -> dg.AssetsDefinition:
    """The asset that runs one sync: plan, gate, send, log."""
    key = sync_key(spec.name)

    @dg.asset(
        key=key,
        deps=[SEGMENTS],
        group_name=GROUP,
        kinds={spec.destination},
        description=(
            f"Diff-syncs segment {spec.segment} to {spec.destination} ({spec.mode}); only people "
            "whose consent covers the segment's purpose pass."
        ),
        check_specs=[
            dg.AssetCheckSpec(
                GATE_CHECK,
                asset=key,
                blocking=True,
                description="GX suite `outgoing` on the rows about to be sent; a single "
                "failing row stops the sync before anything is sent.",
            )
        ],
    )
    def _sync(context: dg.AssetExecutionContext, config: SyncRunConfig, warehouse: DuckDBResource):
        settings = file_config().destination(spec.destination)
        if not settings.enabled:
            context.log.info(f"{spec.destination} is disabled in leadpipe.yml: nothing sent")
            yield dg.MaterializeResult(metadata={"enabled": False, "sent": 0})
            yield _gate_result(spec, True, "destination disabled: nothing to check", {})
            return
        blocked = None
        with user_errors_as_failures():
            destination = DESTINATIONS[spec.destination].from_settings(settings, spec)
            with warehouse.get_connection() as con:
                try:
                    report = run_sync(con, spec, destination, context.run_id, config.full_resync)
                except GateViolation as violation:
                    blocked = violation
        if blocked is not None:  # reported once the warehouse connection is closed
            yield _gate_result(spec, False, str(blocked), _rule_counts(blocked))
            raise dg.Failure(description=str(blocked), allow_retries=False)
        yield dg.MaterializeResult(metadata={**report.metadata(), "requests": destination.requests})
        yield _gate_result(
            spec, True, f"all rules passed on {report.sent} rows", {"rows": report.sent}
        )

    return _sync


def _rule_counts(blocked: GateViolation) -> dict[str, int]:
    return {f"failed: {rule.rule}": rule.unexpected_count for rule in blocked.result.failures}


def sync_assets(config: LeadpipeConfig) -> list[dg.AssetsDefinition]:
    return [sync_asset(spec) for spec in sync_specs(config)]
