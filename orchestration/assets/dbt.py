"""dbt models as assets, in two steps around enrichment: the contacts enrichment reads, then
everything built on the enrichment caches. Each step runs incrementally unless what its models
are built from changed (orchestration/dbt_builds.py)."""

import json
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from leadpipe.settings import dbt_target_path
from leadpipe.warehouse import quarantine_counts
from orchestration.dbt_builds import build_fingerprint, needs_full_refresh, record_build
from orchestration.dbt_project import dbt_project, ensure_manifest
from orchestration.resources import dbt_vars

PRE_ENRICHMENT = "tag:pre_enrichment"
# dbt unit tests check the models' logic on fixtures, so they guard code changes: the test suite
# runs them (`dbt test --select test_type:unit`), the daily build does not, as dbt recommends.
UNIT_TESTS_ONLY_IN_CI = ["--exclude-resource-type", "unit_test"]
QUARANTINE = dg.AssetKey(["quarantine", "quarantined_contacts"])


class LeadpipeDbtTranslator(DagsterDbtTranslator):
    """Groups models by layer (staging, intermediate, marts, quarantine; seeds as reference)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else None


translator = LeadpipeDbtTranslator()
manifest = ensure_manifest()


def _quarantine_metadata(warehouse: DuckDBResource) -> dict[str, int]:
    """The quarantine's count per reason code, as asset metadata a chart can follow."""
    with warehouse.get_connection() as con:
        counts = quarantine_counts(con)
    return {"quarantined": sum(counts.values())} | {
        f"quarantined/{reason}": count for reason, count in counts.items()
    }


def _build(
    step: str,
    args: list[str],
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: DuckDBResource,
) -> Iterator:
    """`dbt build` for one step, from scratch when its fingerprint (models, caches, vars)
    changed, into one target folder per step (not one per run). Only a build of the whole step
    records the fingerprint: after models changed, a few of them rebuilt from the UI leave the
    others to rebuild."""
    fingerprint = build_fingerprint(args)
    with warehouse.get_connection() as con:
        full_refresh = needs_full_refresh(con, step, fingerprint)
    if full_refresh:
        context.log.info(f"{step}: models or caches changed since the last build; full refresh")
        args = [*args, "--full-refresh"]
    target = dbt_target_path() / step
    build = ["build", *UNIT_TESTS_ONLY_IN_CI, *args]
    quarantine = None  # its counts are read once dbt has let go of the warehouse
    for event in dbt.cli(build, context=context, target_path=target).stream():
        if isinstance(event, dg.Output) and (
            context.asset_key_for_output(event.output_name) == QUARANTINE
        ):
            quarantine = event
        else:
            yield event
    if quarantine is not None:
        yield quarantine.with_metadata({**quarantine.metadata, **_quarantine_metadata(warehouse)})
    if not context.is_subset:
        with warehouse.get_connection() as con:
            record_build(con, step, fingerprint)


@dbt_assets(
    manifest=manifest,
    select=PRE_ENRICHMENT,
    name="dbt_contacts",
    project=dbt_project,
    dagster_dbt_translator=translator,
)
def dbt_contacts(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: DuckDBResource):
    """Staging models and the unified contacts that enrichment reads."""
    yield from _build("dbt_contacts", _vars_args(), context, dbt, warehouse)


@dbt_assets(
    manifest=manifest,
    exclude=PRE_ENRICHMENT,
    name="dbt_leads",
    project=dbt_project,
    dagster_dbt_translator=translator,
)
def dbt_leads(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: DuckDBResource):
    """Enriched contacts, identity, consent, scores, segments and quarantine."""
    yield from _build("dbt_leads", _vars_args(), context, dbt, warehouse)


def _vars_args() -> list[str]:
    """The dbt vars leadpipe.yml sets (field mapping, purposes, segments) as CLI arguments."""
    return ["--vars", json.dumps(dbt_vars(), sort_keys=True)]
