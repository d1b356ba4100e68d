"""The warehouse suites: each fails on a crafted bad table and names the rule; run as a Dagster
check, a failure is kept in ops.quality_results and, where blocking, fails the run."""

import json

import dagster as dg
import pandas as pd
import pytest
from dagster_duckdb import DuckDBResource

from expectations.runner import validate
from ingestion.landing import ensure_raw_table
from leadpipe.settings import warehouse_path
from orchestration.assets.ingestion import RAW_CHECKS
from orchestration.assets.quality import WAREHOUSE_CHECKS, quality_check

GOOD = {
    "raw_records": {
        "_record_id": "lead-1",
        "_source": "typeform/contactUs",
        "_extracted_at": pd.Timestamp("2026-11-20", tz="UTC"),
        "payload": '{"token": "lead-1"}',
    },
    "unified_contacts": {
        "source_record_key": "typeform/contactUs:lead-1",
        "platform": "typeform",
        "source": "typeform/contactUs",
        "channel": "web_form",
        "captured_at": pd.Timestamp("2026-11-20", tz="UTC"),
    },
    "dim_leads": {
        "lead_id": "ld_1",
        "first_platform": "typeform",
        "first_channel": "web_form",
        "consent_sales_contact": "granted",
        "consent_email_marketing": "unknown",
        "tier": "hot",
    },
}
BAD = {
    "raw_records": (
        {"_record_id": " ", "payload": "<html>gateway timeout</html>"},
        {"record id not blank", "payload is a JSON object"},
    ),
    "unified_contacts": (
        {"channel": "fax", "source": None},
        {"channel accepted", "source present"},
    ),
    "dim_leads": (
        {"lead_id": "ld_0", "consent_sales_contact": "maybe", "first_channel": None},
        {"sales-contact consent state accepted", "channel present"},
    ),
}


@pytest.mark.parametrize("suite", sorted(GOOD))
def test_each_suite_passes_good_rows_and_fails_a_crafted_bad_one(suite):
    good = GOOD[suite]
    second = {
        **good,
        **{
            key: f"{value}-2"
            for key, value in good.items()
            if key in ("_record_id", "source_record_key", "lead_id")
        },
    }
    assert validate(pd.DataFrame([good, second]), suite).success
    changes, rules = BAD[suite]
    result = validate(pd.DataFrame([good, {**second, **changes}]), suite)
    assert {rule.rule for rule in result.failures} == rules


def test_a_duplicate_lead_id_fails_the_blocking_check_and_is_recorded(con):
    con.execute("create schema marts")
    con.execute(
        "create table marts.dim_leads as select * from (values "
        "('ld_1', 'typeform', 'web_form', 'granted', 'unknown', 'hot'), "
        "('ld_1', 'tally', 'web_form', 'denied', 'unknown', 'cold')) "
        "t(lead_id, first_platform, first_channel, consent_sales_contact, "
        "consent_email_marketing, tier)"
    )
    con.close()
    check = next(c for c in WAREHOUSE_CHECKS if c.suite == "dim_leads")

    @dg.asset(key=check.asset)
    def dim_leads() -> None:
        """Stands for the dbt model: the table is already there."""

    result = dg.materialize(
        [dim_leads, quality_check(check)],
        resources={"warehouse": DuckDBResource(database=str(warehouse_path()))},
        raise_on_error=False,
    )
    [evaluation] = result.get_asset_check_evaluations()
    assert not evaluation.passed and check.blocking
    assert "'no duplicate lead_id' failed on 2 of 2 rows" in evaluation.description
    import duckdb

    recorded = (
        duckdb.connect(str(warehouse_path()))
        .execute(
            "select rule, success, unexpected_count from ops.quality_results where not success"
        )
        .fetchall()
    )
    assert recorded == [("no duplicate lead_id", False, 2)]


def test_data_docs_are_built_beside_the_warehouse_without_the_failing_values(con):
    from expectations.runner import build_docs, docs_folder

    frame = pd.DataFrame([{**GOOD["dim_leads"], "lead_id": "secret-lead-7"}] * 2)
    assert not validate(frame, "dim_leads").success
    index = build_docs()
    assert index == docs_folder() / "index.html"
    assert index.is_file() and docs_folder().parent == warehouse_path().parent
    pages = [p.read_text() for p in docs_folder().rglob("*.html")]
    assert any("no duplicate lead_id" in page or "dim_leads" in page for page in pages)
    assert not any("secret-lead-7" in page for page in pages)


RAW_STREAM_CHECKS = [c for c in RAW_CHECKS if c.suite != "raw_records"]


@pytest.mark.parametrize("check", RAW_STREAM_CHECKS, ids=lambda c: c.suite)
def test_each_lead_streams_critical_fields_are_checked_in_its_raw_payloads(con, check):
    """A payload without the fields, and one whose lists and objects are plain text, break
    every rule of the stream's suite; the check reads them from the raw JSON."""
    ensure_raw_table(con, check.table.removeprefix("raw."))
    top_level = {name[2:].split(".")[0] for name in check.columns()}
    for record_id, payload in (("empty", {}), ("flat", dict.fromkeys(top_level, "x"))):
        con.execute(
            f"insert into {check.table} values ('s', ?, ?, now(), now(), 'run')",
            [record_id, json.dumps(payload)],
        )
    frame = con.execute(f"select {check.select_sql()} from {check.table}").df()
    result = validate(frame, check.suite)
    rules = {rule.rule for rule in result.rules}
    assert rules and {rule.rule for rule in result.failures} == rules
    assert all(column.startswith("$.") for column in check.columns())
