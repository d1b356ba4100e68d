"""Raw landing assets: one per platform stream, keyed like the dbt sources they feed."""

from collections.abc import Callable

import dagster as dg
from dagster_duckdb import DuckDBResource

from ingestion import meta_lead_ads as meta_connector
from ingestion import typeform as typeform_connector
from leadpipe.settings import require
from leadpipe.warehouse import SCHEMAS
from orchestration.failures import user_errors_as_failures
from orchestration.resources import SourceResource


def _land_forms(
    context: dg.AssetExecutionContext,
    warehouse: DuckDBResource,
    source: SourceResource,
    pull_form: Callable,
    forms_setting: str,
    table: str,
) -> dg.MaterializeResult:
    with user_errors_as_failures():
        require(source.form_ids, forms_setting, "The list of forms to pull")
        session = source.session()
        pulled = {}
        with warehouse.get_connection() as con:
            for schema in SCHEMAS:
                con.execute(f"create schema if not exists {schema}")
            for form_id in source.forms:
                stats = pull_form(
                    con, session, source.base_url, form_id, context.run_id, source.lookback
                )
                pulled[form_id] = stats.pulled
                context.log.info(f"form {form_id}: {stats.pulled} records in {stats.pages} pages")
            rows = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    return dg.MaterializeResult(
        metadata={
            "pulled": sum(pulled.values()),
            "pulled_per_form": pulled,
            "dagster/row_count": rows,
        }
    )


@dg.asset(
    key=["raw", meta_connector.RAW_TABLE],
    group_name="ingestion",
    kinds={"python", "duckdb"},
    description="Meta Lead Ads leads of the configured forms, landed untouched.",
)
def meta_lead_ads_leads(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, meta_lead_ads: SourceResource
) -> dg.MaterializeResult:
    return _land_forms(
        context,
        warehouse,
        meta_lead_ads,
        meta_connector.pull_form,
        "LEADPIPE_META_FORM_IDS",
        meta_connector.RAW_TABLE,
    )


@dg.asset(
    key=["raw", typeform_connector.RAW_TABLE],
    group_name="ingestion",
    kinds={"python", "duckdb"},
    description="Typeform responses of the configured forms, landed untouched.",
)
def typeform_responses(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, typeform: SourceResource
) -> dg.MaterializeResult:
    return _land_forms(
        context,
        warehouse,
        typeform,
        typeform_connector.pull_form,
        "LEADPIPE_TYPEFORM_FORM_IDS",
        typeform_connector.RAW_TABLE,
    )
