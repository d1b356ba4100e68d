"""Great Expectations suites as Dagster asset checks, each result kept in `ops.quality_results`.

Blocking where a failure must stop what comes after: the unified contacts (source and channel
fields) and `dim_leads` (origin, consent states, no duplicate lead_id) stop the syncs. Each raw
table's landing envelope, and each lead stream's critical payload fields (`raw_<table>` suites,
on `$.`-paths), are warnings: the records stay landed and quarantine sorts them out.
Only the columns a suite names are read from DuckDB.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from expectations.runner import SuiteResult, build_docs, suite_path, validate
from leadpipe.warehouse import append_rows, table_exists
from orchestration.assets import RUN_LAST
from orchestration.assets.ingestion import SOURCE_ASSETS

RESULTS_DDL = """
    create table if not exists ops.quality_results (
        run_id varchar not null, checked_at timestamptz not null, table_name varchar not null,
        suite varchar not null, rule varchar not null, column_name varchar,
        success boolean not null, unexpected_count bigint not null, row_count bigint not null
    )
"""


@dataclass(frozen=True)
class QualityCheck:
    asset: dg.AssetKey
    table: str
    suite: str
    blocking: bool
    where: str = "true"

    @property
    def name(self) -> str:
        return f"{self.suite}_suite"

    def columns(self) -> list[str]:
        spec = json.loads(suite_path(self.suite).read_text())
        names = []
        for expectation in spec["expectations"]:
            kwargs = expectation["kwargs"]
            names += kwargs.get("column_list", [kwargs.get("column")])
        return list(dict.fromkeys(name for name in names if name))

    def select_sql(self) -> str:
        """The suite's columns: a `$.`-path names a field of the raw JSON payload."""
        return ", ".join(
            f"json_extract_string(payload, '{name}') as \"{name}\""
            if name.startswith("$.")
            else f'"{name}"'
            for name in self.columns()
        )


def _record(con, run_id: str, check: QualityCheck, result: SuiteResult) -> None:
    con.execute(RESULTS_DDL)
    now = datetime.now(UTC)
    rows = [
        {
            "run_id": run_id,
            "checked_at": now,
            "table_name": check.table,
            "suite": result.suite,
            "rule": rule.rule,
            "column_name": rule.column,
            "success": rule.success,
            "unexpected_count": rule.unexpected_count,
            "row_count": result.row_count,
        }
        for rule in result.rules
    ]
    if rows:
        append_rows(con, "ops.quality_results", pa.Table.from_pylist(rows))


def quality_check(check: QualityCheck) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=check.asset,
        name=check.name,
        blocking=check.blocking,
        description=f"GX suite `{check.suite}` on {check.table}"
        + (" (blocking)" if check.blocking else " (warning)"),
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource):
        with warehouse.get_connection() as con:
            if not table_exists(con, *check.table.split(".")):
                return dg.AssetCheckResult(passed=True, description="nothing landed yet")
            frame = con.execute(
                f"select {check.select_sql()} from {check.table} where {check.where}"
            ).df()
            result = validate(frame, check.suite)
            _record(con, context.run.run_id, check, result)
        return dg.AssetCheckResult(
            passed=result.success,
            severity=dg.AssetCheckSeverity.ERROR if check.blocking else dg.AssetCheckSeverity.WARN,
            description=result.describe(),
            metadata={
                "rows": result.row_count,
                **{f"failed: {rule.rule}": rule.unexpected_count for rule in result.failures},
            },
        )

    return _check


CHECKS = [
    QualityCheck(
        dg.AssetKey(["intermediate", "int_contacts_enriched"]),
        "intermediate.int_contacts_enriched",
        "unified_contacts",
        blocking=True,
        where="quarantine_reason is null",
    ),
    QualityCheck(dg.AssetKey(["marts", "dim_leads"]), "marts.dim_leads", "dim_leads", True),
    *(
        QualityCheck(key, f"raw.{key.path[-1]}", suite, blocking=False)
        for asset in SOURCE_ASSETS
        for key in asset.keys
        for suite in ("raw_records", f"raw_{key.path[-1]}")
        if suite_path(suite).exists()  # each lead stream's critical fields have their suite
    ),
]
QUALITY_CHECKS = [quality_check(check) for check in CHECKS]


def docs_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """Renders the run's validations as GX Data Docs, once everything has been checked (the
    syncs' batches too: lowest priority), even when a blocking check failed."""

    @dg.asset(
        key=["ops", "quality_docs"],
        deps=upstream,
        group_name="quality",
        kinds={"html"},
        op_tags=RUN_LAST,
        description="GX Data Docs of the run's checks, beside the warehouse file "
        "(quality_docs/index.html): counts only, never the failing values.",
    )
    def _docs() -> dg.MaterializeResult:
        index = build_docs()
        return dg.MaterializeResult(metadata={"index": dg.MetadataValue.path(str(index))})

    return _docs
