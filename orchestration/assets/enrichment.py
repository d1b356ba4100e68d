"""Enrichment caches: each new distinct email, phone, country and job title enriched once,
offline."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from enrichment import cache

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


CACHE_ASSETS = [_cache_asset(enricher) for enricher in cache.ENRICHERS]
