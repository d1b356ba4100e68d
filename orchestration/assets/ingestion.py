"""Raw landing assets: one per platform stream, keyed like the dbt sources they feed."""

from collections.abc import Callable
from types import ModuleType

import dagster as dg
import requests
from dagster_duckdb import DuckDBResource

from ingestion import meta_lead_ads, typeform
from leadpipe.errors import PlatformError
from leadpipe.settings import require
from leadpipe.warehouse import ensure_schemas
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
            ensure_schemas(con)
            for form_id in source.forms:
                try:
                    stats = pull_form(
                        con, session, source.base_url, form_id, context.run_id, source.lookback
                    )
                except requests.ConnectionError:
                    raise PlatformError(
                        f"Cannot reach {source.base_url}: check the base URL setting "
                        "(docs/CONFIGURATION.md) and the network."
                    ) from None
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


def form_source_asset(
    connector: ModuleType, resource_key: str, forms_setting: str, description: str
) -> dg.AssetsDefinition:
    """The raw asset of a form-based source: every configured form's new records, landed."""

    @dg.asset(
        name=connector.RAW_TABLE,
        key_prefix="raw",
        group_name="ingestion",
        kinds={"python", "duckdb"},
        description=description,
        required_resource_keys={"warehouse", resource_key},
    )
    def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        return _land_forms(
            context,
            context.resources.warehouse,
            getattr(context.resources, resource_key),
            connector.pull_form,
            forms_setting,
            connector.RAW_TABLE,
        )

    return _asset


meta_lead_ads_leads = form_source_asset(
    meta_lead_ads,
    "meta_lead_ads",
    "LEADPIPE_META_FORM_IDS",
    "Meta Lead Ads leads of the configured forms, landed untouched.",
)
typeform_responses = form_source_asset(
    typeform,
    "typeform",
    "LEADPIPE_TYPEFORM_FORM_IDS",
    "Typeform responses of the configured forms, landed untouched.",
)
