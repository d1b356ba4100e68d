"""Enrichment caches: each new distinct email, phone, country and job title enriched once,
offline."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from enrichment import cache, providers
from orchestration.resources import enrichment_providers

UNIFIED_CONTACTS = dg.AssetKey(["intermediate", "int_contacts_unioned"])
DESCRIPTIONS = {
    cache.EMAILS.table: "Email validity, match key, free-mail / disposable / role, company domain.",
    cache.PHONES.table: "Phone numbers in E.164 with country and line type.",
    cache.COUNTRIES.table: "Countries as typed (English or French names, codes) to ISO codes.",
    cache.JOB_TITLES.table: "Job titles (French or English) to seniority and department.",
}


def _cache_asset(enricher: cache.Enricher) -> dg.AssetsDefinition:
    @dg.asset(
        key=["ops", enricher.table],
        deps=[UNIFIED_CONTACTS],
        group_name="enrichment",
        kinds={"python", "duckdb"},
        description=DESCRIPTIONS[enricher.table],
    )
    def _asset(warehouse: DuckDBResource) -> dg.MaterializeResult:
        with warehouse.get_connection() as con:
            enriched = cache.refresh(con, enricher)
            total = con.execute(f"select count(*) from ops.{enricher.table}").fetchone()[0]
        return dg.MaterializeResult(metadata={"new_values": enriched, "dagster/row_count": total})

    return _asset


@dg.asset(
    key=["ops", "enrichment_provider_values"],
    deps=[dg.AssetKey(["ops", cache.EMAILS.table])],
    group_name="enrichment",
    kinds={"python", "duckdb"},
    description=(
        "Company, job title and country from paid providers (off unless configured), per business "
        "email never asked about; they only fill gaps in what people gave."
    ),
)
def enrichment_provider_values(warehouse: DuckDBResource) -> dg.MaterializeResult:
    configured = enrichment_providers()
    with warehouse.get_connection() as con:
        asked = {provider.name: providers.refresh(con, provider) for provider in configured}
        total = providers.ensure_table(con)
    return dg.MaterializeResult(
        metadata={
            "enabled": bool(configured),
            "new_values": sum(asked.values()),
            "dagster/row_count": total,
        }
    )


CACHE_ASSETS = [
    *(_cache_asset(enricher) for enricher in cache.ENRICHERS),
    enrichment_provider_values,
]
