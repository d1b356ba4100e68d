"""What a run did, read from its results and the warehouse: the demo's closing summary."""

from dataclasses import dataclass, field
from pathlib import Path

from leadpipe.warehouse import connect, quarantine_counts, table_exists
from orchestration.pipeline import PipelineRun

SWITCH_NAMES = {"ops/enrichment_provider_values": "paid enrichment (enrichment.providers)"}


@dataclass
class RunSummary:
    warehouse: Path
    pulled: dict[str, int] = field(default_factory=dict)
    switched_off: list[str] = field(default_factory=list)  # sources, destinations, providers
    quarantined: dict[str, int] = field(default_factory=dict)
    unified_leads: int = 0
    tiers: dict[str, int] = field(default_factory=dict)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    syncs: dict[str, dict] = field(default_factory=dict)  # sync name -> its figures
    # (platform, form, question, kind) answered but mapped to nothing and worded like a consent
    unmapped_consents: list[tuple[str, str, str, str]] = field(default_factory=list)
    unmapped_questions: int = 0  # every answered question no mapping names


def summarise(run: PipelineRun, warehouse: Path) -> RunSummary:
    summary = RunSummary(warehouse=warehouse)
    for key, metadata in run.metadata.items():
        if metadata.get("enabled") is False and not key.startswith("activation/"):
            summary.switched_off.append(SWITCH_NAMES.get(key, key))
        elif key.startswith("raw/") and "pulled" in metadata:
            summary.pulled[key.removeprefix("raw/")] = int(metadata.get("pulled", 0))
        elif key.startswith("activation/"):
            summary.syncs[key.removeprefix("activation/")] = metadata
    summary.checks_passed = sum(run.checks.values())
    summary.checks_failed = sorted(name for name, passed in run.checks.items() if not passed)
    if not warehouse.exists():
        return summary
    con = connect(warehouse, read_only=True)
    try:
        summary.quarantined = quarantine_counts(con)
        if table_exists(con, "marts", "dim_leads"):
            summary.tiers = dict(
                con.execute("select tier, count(*) from marts.dim_leads group by 1").fetchall()
            )
            summary.unified_leads = sum(summary.tiers.values())
        if table_exists(con, "marts", "unmapped_form_questions"):
            unmapped = con.execute(
                "select platform, form_id, question, kind, looks_like_consent "
                "from marts.unmapped_form_questions order by all"
            ).fetchall()
            summary.unmapped_questions = len(unmapped)
            summary.unmapped_consents = [row[:4] for row in unmapped if row[4]]
    finally:
        con.close()
    return summary
