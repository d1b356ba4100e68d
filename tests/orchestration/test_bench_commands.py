"""The benchmarks as a developer runs them (`make bench`): each ends and reports its figures."""

import json

import pytest

from ingestion.registry import CONNECTORS
from tests.orchestration.leadpipe_command import leadpipe

pytestmark = pytest.mark.pipeline_runs(6)


def test_bench_prints_seconds_per_stage_and_peak_rss(tmp_path):
    result = leadpipe("bench", "--leads", "200", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert set(report["seconds"]) == {
        "generate",
        "ingest",
        "enrich",
        "dbt",
        "activate",
        "compact",
        "total",
    }
    assert 200 <= report["records"] <= 201  # a webinar registration may bring its attendance
    assert report["peak_rss_mib"] > 0


def test_transform_bench_times_cold_warm_and_incremental_runs_and_rates_identity(tmp_path):
    result = leadpipe("bench", "--transform", "300", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["records"] >= 300 and report["ingest_seconds"] > 0
    assert report["first_build"]["new_enrichment_values"] > 0
    assert report["rerun_nothing_new"]["new_enrichment_values"] == 0
    incremental = report["incremental_1_percent"]
    assert incremental["new_records"] == 3 and incremental["dbt"] > 0
    assert report["identity_vs_truth"]["precision"] >= 0.99


def test_sync_bench_reports_throughput_and_an_empty_resync(tmp_path):
    result = leadpipe("bench", "--sync-contacts", "300", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["changed"]["sent"] == 300 and report["changed"]["requests"] == 3
    assert report["unchanged"] == {
        "seconds": report["unchanged"]["seconds"],
        "sent": 0,
        "records_per_second": 0.0,
        "requests": 0,
    }


def test_ingest_bench_pulls_every_record_of_every_connector_next_to_a_floor(tmp_path):
    result = leadpipe("bench", "--ingest", "1500", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    crm_outcomes = {"hubspot_crm", "salesforce_crm"}  # their records come from syncs
    assert set(report["connectors"]) == set(CONNECTORS) - crm_outcomes
    for name, figures in report["connectors"].items():
        assert figures["records"] == figures["served"] > 0, name
        assert figures["records_per_s"] > 0 and figures["floor_records_per_s"] > 0, name
    assert report["peak_rss_mib"] > 0
