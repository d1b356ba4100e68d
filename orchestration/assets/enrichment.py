"""Enrichment caches: each new distinct email and phone enriched once, offline."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from enrichment import cache

UNIFIED_CONTACTS = dg.AssetKey(["intermediate", "int_contacts_unioned"])


@dg.asset(
    key=["ops", "enrichment_emails"],
    deps=[UNIFIED_CONTACTS],
    group_name="enrichment",
    kinds={"python", "duckdb"},
    description="Email validity, normalisation, match key, free-mail / disposable / role flags.",
)
def enrichment_emails(warehouse: DuckDBResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as con:
        enriched = cache.refresh_emails(con)
        total = con.execute("select count(*) from ops.enrichment_emails").fetchone()[0]
    return dg.MaterializeResult(metadata={"new_values": enriched, "dagster/row_count": total})


@dg.asset(
    key=["ops", "enrichment_phones"],
    deps=[UNIFIED_CONTACTS],
    group_name="enrichment",
    kinds={"python", "duckdb"},
    description="Phone numbers in E.164 with country and line type.",
)
def enrichment_phones(warehouse: DuckDBResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as con:
        enriched = cache.refresh_phones(con)
        total = con.execute("select count(*) from ops.enrichment_phones").fetchone()[0]
    return dg.MaterializeResult(metadata={"new_values": enriched, "dagster/row_count": total})
