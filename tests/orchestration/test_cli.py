"""The `leadpipe` command as a user runs it, in a subprocess."""

import re
import shutil

import duckdb
import pytest
from openpyxl import Workbook

from leadpipe.pseudonyms import keyed_hash
from leadpipe.settings import PROJECT_ROOT
from sandbox.platforms import SANDBOX_PSEUDONYM_KEY
from tests.orchestration.leadpipe_command import leadpipe

pytestmark = pytest.mark.pipeline_runs(1)  # the demo


def test_demo_runs_end_to_end_and_summarises(tmp_path):
    warehouse = tmp_path / "demo.duckdb"
    result = leadpipe("demo", "--leads", "300", "--warehouse", str(warehouse), cwd=tmp_path)
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
    truth = " ".join(out.split())  # the figures against the generator's truth
    assert "0 sends without consent for the purpose" in truth
    reached, expected = re.search(r"(\d+) of (\d+) consenting people", truth).groups()
    assert int(expected) > 0 and int(reached) >= 0.98 * int(expected)

    (tmp_path / "leadpipe.yml").write_text("{}\n")  # the default sync: hot leads to HubSpot
    plan = leadpipe(
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


def test_run_without_configuration_names_the_file_to_write(tmp_path):
    result = leadpipe("run", cwd=tmp_path)
    assert result.returncode == 1
    assert f"No configuration file at {tmp_path / 'leadpipe.yml'}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_run_with_missing_credentials_lists_every_one(tmp_path):
    shutil.copy(PROJECT_ROOT / "leadpipe.example.yml", tmp_path / "leadpipe.yml")
    result = leadpipe("run", cwd=tmp_path)
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
    result = leadpipe("run", cwd=tmp_path, COLUMNS="400")
    assert result.returncode == 1
    assert "syncs.a.destination names hubspt, not a destination" in result.stderr
    assert "syncs.b.segment names warm, not a segment (known: hot)" in result.stderr
    assert "syncs.b.list_name (or list_id) is needed for list_membership" in result.stderr
    assert "enrichment.providers.clearbit is not a provider leadpipe knows" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_typo_in_the_configuration_names_the_key(tmp_path):
    (tmp_path / "leadpipe.yml").write_text("sources:\n  typeform:\n    froms: [a]\n")
    result = leadpipe("run", cwd=tmp_path)
    assert result.returncode == 1
    assert "sources.typeform.froms: Extra inputs are not permitted" in result.stderr


def test_suppress_adds_a_keyed_hash_and_refuses_what_is_not_an_identifier(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    settings = {"LEADPIPE_WAREHOUSE": str(warehouse), "LEADPIPE_PSEUDONYM_KEY": "k" * 32}
    done = leadpipe("suppress", " Jean.Dupont@Acme.fr", cwd=tmp_path, **settings)
    assert done.returncode == 0, done.stderr
    assert "jean" not in done.stdout.lower() and "Suppressed (email" in done.stdout
    refused = leadpipe("suppress", "not an identifier", cwd=tmp_path, **settings)
    assert refused.returncode == 1 and "Not a valid email address or phone number" in refused.stderr
    missing = leadpipe("suppress", "a@b.fr", cwd=tmp_path, LEADPIPE_WAREHOUSE=str(warehouse))
    assert missing.returncode == 1 and "LEADPIPE_PSEUDONYM_KEY is not set" in missing.stderr
    assert "Traceback" not in refused.stderr + missing.stderr
    rows = duckdb.connect(str(warehouse)).sql("select * from ops.suppression_list").fetchall()
    assert len(rows) == 1 and rows[0][0] == "email" and "@" not in rows[0][1]


def test_suppress_reads_a_list_in_any_shape_and_names_the_rows_it_cannot_read(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    settings = {"LEADPIPE_WAREHOUSE": str(warehouse), "LEADPIPE_PSEUDONYM_KEY": "k" * 32}
    rows = [  # a French export: semicolons, Latin-1, a header, emails and phones in any column
        "Nom;Adresse électronique;Téléphone",
        "Dupont;JEAN.DUPONT@ACME.FR;06 12 34 56 78",
        "Martin;;+33 (0)7 98 76 54 32",
        "Durand;n/a;pas de numéro",
        "Leroy;claire.leroy@acme.fr;",
        "Petit;jean.dupont@acme.fr;0033612345678",  # the same person again, spelled otherwise
    ]
    listed = tmp_path / "désinscrits.csv"
    listed.write_bytes("\r\n".join(rows).encode("latin-1"))
    done = leadpipe("suppress", "--file", str(listed), cwd=tmp_path, **settings)
    assert done.returncode == 0, done.stderr
    assert "Suppressed 2 emails and 2 phones" in done.stdout
    assert "1 row(s) hold no valid email or phone" in done.stderr and "rows 4 of" in done.stderr
    assert "@" not in done.stdout + done.stderr and "Durand" not in done.stderr
    workbook = Workbook()
    workbook.active.append(["email"])
    workbook.active.append(["Paul.Roux@Acme.fr"])
    excel = tmp_path / "optouts.xlsx"
    workbook.save(excel)
    assert leadpipe("suppress", "--file", str(excel), cwd=tmp_path, **settings).returncode == 0
    con = duckdb.connect(str(warehouse))
    hashes = dict(
        con.sql("select identifier_hash, identifier_type from ops.suppression_list").fetchall()
    )
    con.close()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LEADPIPE_PSEUDONYM_KEY", "k" * 32)
        expected = {
            keyed_hash(v): kind
            for kind, v in [
                ("email", "jean.dupont@acme.fr"),
                ("email", "claire.leroy@acme.fr"),
                ("email", "paul.roux@acme.fr"),
                ("phone", "+33612345678"),
                ("phone", "+33798765432"),
            ]
        }
    assert hashes == expected
    both = leadpipe("suppress", "a@b.fr", "--file", str(excel), cwd=tmp_path, **settings)
    assert both.returncode == 1 and "Give one email or phone, or --file FILE" in both.stderr


def test_forget_needs_the_configuration_first(tmp_path):
    result = leadpipe("forget", "a@b.fr", cwd=tmp_path)
    assert result.returncode == 1 and "No configuration file" in result.stderr
    assert "Traceback" not in result.stderr
