"""Great Expectations suites as Dagster asset checks, each result kept in `ops.quality_results`.

Blocking where a failure must stop what comes after: the unified contacts (source and channel
fields) and `dim_leads` (origin, consent states, no duplicate lead_id) stop the syncs, each a
check of its own. Each raw table's landing envelope, and each lead stream's critical payload
fields (`raw_<table>` suites, on `$.`-paths), are warnings: the records stay landed and
quarantine sorts them out. The raw assets run theirs in their own step, right after landing
(`raw_checks`, `evaluate`): 34 steps of their own cost more than the validations.
Only the columns a suite names are read from DuckDB.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from expectations.runner import SuiteResult, build_docs, suite_path, validate
from leadpipe.warehouse import append_rows, table_exists
from orchestration.assets import RUN_LAST

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

    @property
    def description(self) -> str:
        return f"GX suite `{self.suite}` on {self.table}" + (
            " (blocking)" if self.blocking else " (warning)"
        )

    def spec(self) -> dg.AssetCheckSpec:
        """The check, declared on the asset that runs it."""
        return dg.AssetCheckSpec(
            self.name, asset=self.asset, blocking=self.blocking, description=self.description
        )

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


def evaluate(con, run_id: str, check: QualityCheck) -> dg.AssetCheckResult:
    """Validate the check's table with its suite and keep every rule's result."""
    if not table_exists(con, *check.table.split(".")):
        return dg.AssetCheckResult(
            asset_key=check.asset,
            check_name=check.name,
            passed=True,
            description="nothing landed yet",
        )
    frame = con.execute(f"select {check.select_sql()} from {check.table} where {check.where}").df()
    result = validate(frame, check.suite)
    _record(con, run_id, check, result)
    return dg.AssetCheckResult(
        asset_key=check.asset,
        check_name=check.name,
        passed=result.success,
        severity=dg.AssetCheckSeverity.ERROR if check.blocking else dg.AssetCheckSeverity.WARN,
        description=result.describe(),
        metadata={
            "rows": result.row_count,
            **{f"failed: {rule.rule}": rule.unexpected_count for rule in result.failures},
        },
    )


def quality_check(check: QualityCheck) -> dg.AssetChecksDefinition:
    """The check as a step of its own, after its asset."""

    @dg.asset_check(
        asset=check.asset, name=check.name, blocking=check.blocking, description=check.description
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource):
        with warehouse.get_connection() as con:
            return evaluate(con, context.run.run_id, check)

    return _check


def raw_checks(tables: Iterable[str]) -> list[QualityCheck]:
    """The warning checks of raw tables: the landing envelope of each, and the critical
    payload fields of each lead stream that has a suite."""
    return [
        QualityCheck(dg.AssetKey(["raw", table]), f"raw.{table}", suite, blocking=False)
        for table in tables
        for suite in ("raw_records", f"raw_{table}")
        if suite_path(suite).exists()
    ]


WAREHOUSE_CHECKS = [
    QualityCheck(
        dg.AssetKey(["intermediate", "int_contacts_enriched"]),
        "intermediate.int_contacts_enriched",
        "unified_contacts",
        blocking=True,
        where="quarantine_reason is null",
    ),
    QualityCheck(dg.AssetKey(["marts", "dim_leads"]), "marts.dim_leads", "dim_leads", True),
]
QUALITY_CHECKS = [quality_check(check) for check in WAREHOUSE_CHECKS]


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
