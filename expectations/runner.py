"""Validate a DataFrame against a suite file in expectations/suites/ with GX 1.x.

GX's SQL datasource does not support DuckDB, so callers read the rows from DuckDB into pandas
and hand them here. The result names each failed rule and how many rows broke it. Each
validation runs through a GX checkpoint; `build_docs` then renders the run's results as Data
Docs (static HTML) in `quality_docs/` next to the warehouse file, once per run. The pages never
list failing values, so no personal data lands in them.
"""

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from leadpipe.settings import warehouse_path

SUITES_DIR = Path(__file__).resolve().parent / "suites"
DOCS_SITE = "leadpipe"
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}  # counts, no values

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # read when GX is first imported


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


def docs_folder() -> Path:
    """Where the Data Docs are built: `quality_docs/index.html` beside the warehouse."""
    return warehouse_path().parent / "quality_docs"


@cache
def _context(docs: str):
    import great_expectations as gx  # 4 s to import: only when a suite runs, not every command

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    context.add_data_docs_site(
        DOCS_SITE,
        {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    return context


@cache
def _checkpoint(suite_name: str, docs: str):
    import great_expectations as gx

    context = _context(docs)
    source = context.data_sources.add_pandas(f"leadpipe_{suite_name}")
    batch = source.add_dataframe_asset(suite_name).add_batch_definition_whole_dataframe(suite_name)
    spec = json.loads(suite_path(suite_name).read_text())
    suite = context.suites.add(
        gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"])
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite_name, data=batch, suite=suite)
    )
    return context.checkpoints.add(
        gx.Checkpoint(
            name=suite_name,
            validation_definitions=[definition],
            result_format=RESULT_FORMAT,
        )
    )


def build_docs() -> Path:
    """Render the validations this process ran as Data Docs; return the index page."""
    folder = str(docs_folder())
    _context(folder).build_data_docs(site_names=[DOCS_SITE])
    return Path(folder) / "index.html"


def validate(frame: pd.DataFrame, suite_name: str) -> SuiteResult:
    """Run every expectation of the suite on the frame."""
    run = _checkpoint(suite_name, str(docs_folder())).run(batch_parameters={"dataframe": frame})
    outcome = next(iter(run.run_results.values()))
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
