"""Benchmark of what runs after ingestion, at volume: enrichment (cold, then warm) and the dbt
build over N raw records, then an incremental run that adds 1% new records. The identity
merge's precision and recall against the generator's truth are reported too.

The stand-ins serve the generated records with their quotas lifted (Tally, GoToWebinar), so
landing N records takes minutes, not the platforms' hours; ingestion has its own benchmark
(`leadpipe bench --ingest`). The CRM sync is left out: it has its own (`--sync-contacts`).
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from leadpipe.config import CONFIG_ENV, write_config
from leadpipe.settings import warehouse_path
from leadpipe.warehouse import connect
from orchestration.pipeline import STAGES, run_pipeline
from sandbox.generator import Generator
from sandbox.identity_quality import merge_quality
from sandbox.platforms import serve

UNLIMITED = {"requests_per_minute": "1000000"}
TRANSFORM = [stage for stage in STAGES if stage[0] in ("dbt", "enrich")]
INGEST = [stage for stage in STAGES if stage[0] == "ingest"]


def _timed(stages) -> dict[str, float]:
    run = run_pipeline(stages=stages)
    if not run.ok:
        raise RuntimeError(run.failure or run.blocked or str(run.source_failures))
    new_values = sum(
        int(metadata.get("new_values", 0))
        for key, metadata in run.metadata.items()
        if key.startswith("ops/enrichment_")
    )
    return {
        **{name: round(seconds, 2) for name, seconds in run.seconds.items()},
        "new_enrichment_values": new_values,
    }


def bench_transforms(records: int, seed: int, folder: Path) -> dict:
    """Seconds per stage: first build (cold caches), a re-run with nothing new (warm), and an
    incremental run with 1% more records."""
    now = datetime.now(UTC).replace(microsecond=0)
    generator = Generator(seed=seed, now=now - timedelta(hours=2))
    data = generator.generate(records)
    report: dict = {"records": data.record_count}
    with serve(data, hubspot_requests_per_10s=None) as platforms:
        platforms.tally.limit.limit = 10**9
        platforms.gotowebinar.limit.limit = 10**9
        os.environ.update(platforms.environment())
        config = platforms.config()
        for platform in ("tally", "gotowebinar"):
            source = config.sources[platform]
            config.sources[platform] = source.model_copy(
                update={"options": {**source.options, **UNLIMITED}}
            )
        os.environ[CONFIG_ENV] = str(write_config(config, folder / "leadpipe.yml"))
        report["ingest_seconds"] = _timed(INGEST)["ingest"]
        report["first_build"] = _timed(TRANSFORM)
        con = connect(warehouse_path(), read_only=True)
        try:
            report["identity_vs_truth"] = merge_quality(con, data)
        finally:
            con.close()
        report["rerun_nothing_new"] = _timed(TRANSFORM)
        generator.add(data, records // 100, start=now - timedelta(hours=1), end=now)
        report["incremental_1_percent"] = {
            "new_records": records // 100,
            **_timed(INGEST),
            **_timed(TRANSFORM),
        }
    return report
