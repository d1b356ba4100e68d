"""Validate a DataFrame against a suite file in expectations/suites/ with GX 1.x.

GX's SQL datasource does not support DuckDB, so callers read the rows from DuckDB into pandas
and hand them here. The result names each failed rule and how many rows broke it.
"""

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

SUITES_DIR = Path(__file__).resolve().parent / "suites"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import great_expectations as gx  # noqa: E402  (reads GX_ANALYTICS_ENABLED at import)


@dataclass
class RuleResult:
    rule: str
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int


@dataclass
class SuiteResult:
    suite: str
    row_count: int
    rules: list[RuleResult] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return all(rule.success for rule in self.rules)

    @property
    def failures(self) -> list[RuleResult]:
        return [rule for rule in self.rules if not rule.success]

    def describe(self) -> str:
        """One line: which rules failed on how many of the rows, or that all passed."""
        if self.success:
            return f"{self.suite}: all {len(self.rules)} rules passed on {self.row_count} rows"
        broken = "; ".join(
            f"'{rule.rule}' failed on {rule.unexpected_count} of {self.row_count} rows"
            for rule in self.failures
        )
        return f"{self.suite}: {broken}"


def suite_path(name: str) -> Path:
    return SUITES_DIR / f"{name}.json"


@cache
def _context():
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return context


@cache
def _batch_definition(suite_name: str):
    source = _context().data_sources.add_pandas(f"leadpipe_{suite_name}")
    asset = source.add_dataframe_asset(suite_name)
    return asset.add_batch_definition_whole_dataframe(suite_name)


def validate(frame: pd.DataFrame, suite_name: str) -> SuiteResult:
    """Run every expectation of the suite on the frame."""
    spec = json.loads(suite_path(suite_name).read_text())
    suite = gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"])
    batch = _batch_definition(suite_name).get_batch(batch_parameters={"dataframe": frame})
    outcome = batch.validate(suite)
    result = SuiteResult(suite=suite_name, row_count=len(frame))
    for item in outcome.results:
        config = item.expectation_config
        result.rules.append(
            RuleResult(
                rule=(config.meta or {}).get("rule", config.type),
                expectation=config.type,
                column=config.kwargs.get("column"),
                success=bool(item.success),
                unexpected_count=int((item.result or {}).get("unexpected_count") or 0),
            )
        )
    return result
