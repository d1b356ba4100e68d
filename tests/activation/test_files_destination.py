"""File exports for marketers: the consented segment as CSV and Parquet, stable columns,
formulas made inert, rewritten only when something changed."""

import csv

import pyarrow.parquet as pq
import pytest

from activation.destinations.files import Files, neutralise
from activation.plan import SyncSpec
from activation.sync import run_sync
from sandbox.segment_warehouse import write_segment

SPEC = SyncSpec(
    name="hot_leads_export",
    destination="files",
    segment="hot_leads_sales_contact",
    mode="mirror",
    fields=Files.default_fields,
)
HOSTILE = (
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\tindented",
    "Robert'); DROP TABLE students;--",
    "名前 🎉 שלום",
    "x" * 10_000,
    "N/A",
)


@pytest.fixture
def warehouse(con):
    write_segment(con, 12)
    return con


def _export(con, folder, run_id):
    return run_sync(con, SPEC, Files(folder, SPEC.name, list(SPEC.fields.values())), run_id)


def _csv_rows(folder):
    with (folder / "hot_leads_export.csv").open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33612345678", "+33612345678"),  # a phone number stays a number
        ("-12.5", "-12.5"),
        ("-2+3", "'-2+3"),
        ("@user", "'@user"),
        ("\r=x", "'\r=x"),
        ("Acme", "Acme"),
        (60, 60),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_exports_the_consented_segment_in_a_stable_column_order(warehouse, tmp_path):
    warehouse.execute(
        "update marts.consent_current set status = 'denied' "
        "where identifier = 'person3@acme.example'"
    )
    report = _export(warehouse, tmp_path, "r1")
    assert report.sent == 11
    rows = _csv_rows(tmp_path)
    assert list(rows[0]) == list(Files.default_fields.values())
    assert sorted(r["lead_id"] for r in rows) == sorted(f"ld_{i}" for i in range(1, 13) if i != 3)
    parquet = pq.read_table(tmp_path / "hot_leads_export.parquet")
    assert parquet.column_names == list(Files.default_fields.values())
    assert parquet.num_rows == 11 and parquet.column("score").to_pylist()[0] == 60


def test_hostile_text_is_kept_faithfully_but_inert(warehouse, tmp_path):
    for i, value in enumerate(HOSTILE, start=1):
        warehouse.execute(
            "update marts.dim_leads set company = ? where lead_id = ?", [value, f"ld_{i}"]
        )
    _export(warehouse, tmp_path, "r1")
    companies = {row["lead_id"]: row["company"] for row in _csv_rows(tmp_path)}
    for i, value in enumerate(HOSTILE, start=1):
        exported = companies[f"ld_{i}"]
        assert exported in (value, "'" + value), value
        assert not exported.startswith(("=", "+", "-", "@", "\t"))
    stored = warehouse.execute("select company from marts.dim_leads where lead_id = 'ld_1'")
    assert stored.fetchall()[0][0] == HOSTILE[0], "the warehouse keeps the value as given"


def test_files_are_rewritten_only_when_the_segment_changed(warehouse, tmp_path):
    _export(warehouse, tmp_path, "r1")
    written = (tmp_path / "hot_leads_export.csv").stat().st_mtime_ns
    assert _export(warehouse, tmp_path, "r2").sent == 0
    assert (tmp_path / "hot_leads_export.csv").stat().st_mtime_ns == written
    warehouse.execute("delete from marts.segment_memberships where lead_id = 'ld_4'")
    report = _export(warehouse, tmp_path, "r3")
    assert report.removed == 1
    assert "ld_4" not in {row["lead_id"] for row in _csv_rows(tmp_path)}
    assert not list(tmp_path.glob(".*partial"))


def test_an_unwritable_folder_fails_every_record_and_they_are_retried(warehouse, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    report = _export(warehouse, blocked, "r1")
    assert report.failed == 12
    assert _export(warehouse, tmp_path, "r2").planned["retry"] == 12
