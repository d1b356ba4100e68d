"""dbt models as assets, in two steps around enrichment: the contacts enrichment reads, then
everything built on the enrichment caches."""

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project, ensure_manifest
from orchestration.resources import dbt_vars

PRE_ENRICHMENT = "tag:pre_enrichment"


class LeadpipeDbtTranslator(DagsterDbtTranslator):
    """Groups models by layer (staging, intermediate, marts, quarantine; seeds as reference)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else None


translator = LeadpipeDbtTranslator()
manifest = ensure_manifest()


@dbt_assets(
    manifest=manifest,
    select=PRE_ENRICHMENT,
    name="dbt_contacts",
    project=dbt_project,
    dagster_dbt_translator=translator,
)
def dbt_contacts(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Staging models and the unified contacts that enrichment reads."""
    yield from dbt.cli(["build"], context=context).stream()


@dbt_assets(
    manifest=manifest,
    exclude=PRE_ENRICHMENT,
    name="dbt_leads",
    project=dbt_project,
    dagster_dbt_translator=translator,
)
def dbt_leads(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Enriched contacts, identity, consent, scores, segments and quarantine."""
    overrides = dbt_vars()
    args = ["build", "--vars", json.dumps(overrides)] if overrides else ["build"]
    yield from dbt.cli(args, context=context).stream()
