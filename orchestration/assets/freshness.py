"""dbt source freshness per channel, as one Dagster asset check per raw table.

The rules are dbt's own (`loaded_at_field`, `warn_after`, `error_after` in each
`_<source>__sources.yml`), read from the manifest, so `dbt source freshness` reports the same.
The check applies them with one query per table instead of starting dbt a third time each run.
A channel switched off in leadpipe.yml is not judged. Freshness never blocks: a quiet channel
is worth a look (a broken form, an expired token upstream), not a reason to stop the others.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import dagster as dg
from dagster_duckdb import DuckDBResource

from ingestion.registry import CONNECTORS
from orchestration.assets.dbt import manifest

CHECK_NAME = "source_freshness"
PERIODS = {"minute": "minutes", "hour": "hours", "day": "days"}
PLATFORMS = {
    table: platform
    for platform, connector in CONNECTORS.items()
    for table in (connector.raw_table, *connector.related_tables)
}


@dataclass(frozen=True)
class FreshnessRule:
    asset: dg.AssetKey
    table: str
    platform: str
    loaded_at_field: str
    warn_after: timedelta | None
    error_after: timedelta | None

    def judge(self, age: timedelta | None) -> str:
        """dbt's verdict for data this old (None: nothing landed yet)."""
        if age is None or (self.error_after and age > self.error_after):
            return "error"
        if self.warn_after and age > self.warn_after:
            return "warn"
        return "pass"


def _period(limit: dict | None) -> timedelta | None:
    if not limit or not limit.get("count"):
        return None
    return timedelta(**{PERIODS[limit["period"]]: limit["count"]})


def freshness_rules(manifest: dict) -> list[FreshnessRule]:
    """The source tables of a connector that dbt gives a freshness rule, in table order."""
    rules = []
    for source in manifest["sources"].values():
        freshness = source.get("freshness") or {}
        loaded_at = source.get("loaded_at_field")
        warn, error = _period(freshness.get("warn_after")), _period(freshness.get("error_after"))
        if loaded_at and (warn or error) and source["name"] in PLATFORMS:
            key = source.get("meta", {}).get("dagster", {}).get("asset_key")
            rules.append(
                FreshnessRule(
                    asset=dg.AssetKey(key or ["raw", source["name"]]),
                    table=source["name"],
                    platform=PLATFORMS[source["name"]],
                    loaded_at_field=loaded_at,
                    warn_after=warn,
                    error_after=error,
                )
            )
    return sorted(rules, key=lambda rule: rule.table)


RULES = freshness_rules(json.loads(manifest.read_text()))


def _newest(con, rule: FreshnessRule) -> datetime | None:
    return con.execute(f"select max({rule.loaded_at_field}) from raw.{rule.table}").fetchall()[0][0]


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=rule.asset,
            description=f"dbt source freshness: new records within {rule.warn_after} "
            f"(warning) and {rule.error_after} (error).",
        )
        for rule in RULES
    ],
    name=CHECK_NAME,
    required_resource_keys={"warehouse", *(rule.platform for rule in RULES)},
)
def source_freshness(context: dg.AssetCheckExecutionContext):
    warehouse: DuckDBResource = context.resources.warehouse
    now = datetime.now(UTC)
    with warehouse.get_connection() as con:
        newest = {rule.table: _newest(con, rule) for rule in RULES}
    for rule in RULES:
        enabled = getattr(context.resources, rule.platform).enabled
        latest = newest[rule.table]
        status = rule.judge(now - latest if latest else None) if enabled else "pass"
        yield dg.AssetCheckResult(
            asset_key=rule.asset,
            check_name=CHECK_NAME,
            passed=status == "pass",
            severity=dg.AssetCheckSeverity.ERROR
            if status == "error"
            else dg.AssetCheckSeverity.WARN,
            description=None if enabled else "switched off in leadpipe.yml: not judged",
            metadata={
                "status": status,
                "newest_record_landed_at": latest.isoformat() if latest else "never",
                "hours_since": round((now - latest).total_seconds() / 3600, 1) if latest else -1,
            },
        )
