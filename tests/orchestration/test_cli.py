"""The `leadpipe` command as a user runs it, in a subprocess."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ingestion.registry import CONNECTORS
from leadpipe.settings import PROJECT_ROOT
from sandbox.platforms import SANDBOX_PSEUDONYM_KEY

LEADPIPE = str(Path(sys.executable).parent / "leadpipe")


def _leadpipe(*args, cwd, **settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADPIPE_")} | settings
    return subprocess.run(
        [LEADPIPE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_demo_runs_end_to_end_and_summarises(tmp_path):
    warehouse = tmp_path / "demo.duckdb"
    result = _leadpipe("demo", "--leads", "300", "--warehouse", str(warehouse), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    for line in (
        "pulled from meta_lead_ads_leads",
        "pulled from typeform_responses",
        "quarantined",
        "unified leads",
        "leads per tier",
        "sync hubspot_hot_leads",
        "sync hubspot_nurture_list",
        str(warehouse),
    ):
        assert line in out, line
    assert "0 failed (none)" in out
    assert warehouse.exists()

    (tmp_path / "leadpipe.yml").write_text("{}\n")  # the default sync: hot leads to HubSpot
    plan = _leadpipe(
        "sync",
        "--dry-run",
        cwd=tmp_path,
        LEADPIPE_WAREHOUSE=str(warehouse),
        LEADPIPE_PSEUDONYM_KEY=SANDBOX_PSEUDONYM_KEY,
    )
    assert plan.returncode == 0, plan.stderr[-2000:]
    row = next(line for line in plan.stdout.splitlines() if "hubspot_hot_leads" in line)
    create, update, retry, remove, unchanged, *_ = [int(n) for n in row.split("│")[2:-1]]
    assert (create, update, retry, remove) == (0, 0, 0, 0) and unchanged > 0


def test_bench_prints_seconds_per_stage_and_peak_rss(tmp_path):
    result = _leadpipe("bench", "--leads", "200", cwd=tmp_path)
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


def test_run_without_configuration_names_the_file_to_write(tmp_path):
    result = _leadpipe("run", cwd=tmp_path)
    assert result.returncode == 1
    assert f"No configuration file at {tmp_path / 'leadpipe.yml'}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_run_with_missing_credentials_lists_every_one(tmp_path):
    shutil.copy(PROJECT_ROOT / "leadpipe.example.yml", tmp_path / "leadpipe.yml")
    result = _leadpipe("run", cwd=tmp_path)
    assert result.returncode == 1
    for setting in (
        "LEADPIPE_META_ACCESS_TOKEN",
        "LEADPIPE_TYPEFORM_TOKEN",
        "LEADPIPE_HUBSPOT_TOKEN",
        "LEADPIPE_PSEUDONYM_KEY",
    ):
        assert f"{setting} is not set" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_sync_parts_and_providers_are_named(tmp_path):
    (tmp_path / "leadpipe.yml").write_text(
        "sources:\n  typeform:\n    forms: [a]\n"
        "segments:\n  hot:\n    filter: tier = 'hot'\n    purpose: sales_contact\n"
        "syncs:\n  a:\n    segment: hot\n    destination: hubspt\n"
        "  b:\n    segment: warm\n    destination: hubspot\n    mode: list_membership\n"
        "enrichment:\n  providers:\n    clearbit: {}\n"
    )
    result = _leadpipe("run", cwd=tmp_path, COLUMNS="400")
    assert result.returncode == 1
    assert "syncs.a.destination names hubspt, not a destination" in result.stderr
    assert "syncs.b.segment names warm, not a segment (known: hot)" in result.stderr
    assert "syncs.b.list_id is needed for list_membership" in result.stderr
    assert "enrichment.providers.clearbit is not a provider leadpipe knows" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_typo_in_the_configuration_names_the_key(tmp_path):
    (tmp_path / "leadpipe.yml").write_text("sources:\n  typeform:\n    froms: [a]\n")
    result = _leadpipe("run", cwd=tmp_path)
    assert result.returncode == 1
    assert "sources.typeform.froms: Extra inputs are not permitted" in result.stderr


def test_transform_bench_times_cold_warm_and_incremental_runs_and_rates_identity(tmp_path):
    result = _leadpipe("bench", "--transform", "300", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["records"] >= 300 and report["ingest_seconds"] > 0
    assert report["first_build"]["new_enrichment_values"] > 0
    assert report["rerun_nothing_new"]["new_enrichment_values"] == 0
    incremental = report["incremental_1_percent"]
    assert incremental["new_records"] == 3 and incremental["dbt"] > 0
    assert report["identity_vs_truth"]["precision"] >= 0.99


def test_sync_bench_reports_throughput_and_an_empty_resync(tmp_path):
    result = _leadpipe("bench", "--sync-contacts", "300", cwd=tmp_path)
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
    result = _leadpipe("bench", "--ingest", "1500", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    crm_outcomes = {"hubspot_crm", "salesforce_crm"}  # their records come from syncs
    assert set(report["connectors"]) == set(CONNECTORS) - crm_outcomes
    for name, figures in report["connectors"].items():
        assert figures["records"] == figures["served"] > 0, name
        assert figures["records_per_s"] > 0 and figures["floor_records_per_s"] > 0, name
    assert report["peak_rss_mib"] > 0


def test_suppress_adds_a_keyed_hash_and_refuses_what_is_not_an_identifier(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    settings = {"LEADPIPE_WAREHOUSE": str(warehouse), "LEADPIPE_PSEUDONYM_KEY": "k" * 32}
    done = _leadpipe("suppress", " Jean.Dupont@Acme.fr", cwd=tmp_path, **settings)
    assert done.returncode == 0, done.stderr
    assert "jean" not in done.stdout.lower() and "Suppressed (email" in done.stdout
    refused = _leadpipe("suppress", "not an identifier", cwd=tmp_path, **settings)
    assert refused.returncode == 1 and "Not a valid email address or phone number" in refused.stderr
    missing = _leadpipe("suppress", "a@b.fr", cwd=tmp_path, LEADPIPE_WAREHOUSE=str(warehouse))
    assert missing.returncode == 1 and "LEADPIPE_PSEUDONYM_KEY is not set" in missing.stderr
    assert "Traceback" not in refused.stderr + missing.stderr
    import duckdb

    rows = duckdb.connect(str(warehouse)).sql("select * from ops.suppression_list").fetchall()
    assert len(rows) == 1 and rows[0][0] == "email" and "@" not in rows[0][1]


def test_forget_needs_the_configuration_first(tmp_path):
    result = _leadpipe("forget", "a@b.fr", cwd=tmp_path)
    assert result.returncode == 1 and "No configuration file" in result.stderr
    assert "Traceback" not in result.stderr
