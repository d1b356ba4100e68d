"""Imported lists: files land untouched with their declaration; only changed files land again."""

import pytest
import yaml

from ingestion.imports import land_imports
from leadpipe.errors import ConfigError
from sandbox.channels import imports as sandbox_imports


@pytest.fixture
def folder(tmp_path, data):
    return sandbox_imports.write_files(data, tmp_path / "imports")


def _rows(con, batch):
    return con.execute(
        "select _record_id, payload, _first_seen_at from raw.import_rows where _source = ? "
        "order by split_part(_record_id, '#', -1)::integer",
        [f"imports/{batch}"],
    ).fetchall()


def test_each_file_lands_untouched_with_its_declaration(con, data, folder):
    stats = land_imports(con, folder, sandbox_imports.COLUMNS, "run-1")
    assert stats.batches == 2 and stats.undeclared == 1
    declared = data.records("imports")[sandbox_imports.DECLARED]
    rows = _rows(con, sandbox_imports.DECLARED)
    assert len(rows) == len(declared)
    first = yaml.safe_load(rows[0][1])  # JSON is YAML
    assert first == {k: (v or None) for k, v in declared[0].items()}
    batches = dict(
        con.execute(
            "select _record_id, payload->>'lawful_basis' from raw.import_batches"
        ).fetchall()
    )
    assert batches == {
        sandbox_imports.DECLARED: "legitimate_interest",
        sandbox_imports.UNDECLARED: None,
    }
    assert len(_rows(con, sandbox_imports.UNDECLARED)) == len(
        data.records("imports")[sandbox_imports.UNDECLARED]
    )


def test_an_unchanged_folder_lands_nothing_again(con, folder):
    land_imports(con, folder, sandbox_imports.COLUMNS, "run-1")
    stats = land_imports(con, folder, sandbox_imports.COLUMNS, "run-2")
    assert stats.batches == 0 and stats.skipped_unchanged == 2


def test_a_corrected_file_replaces_its_rows_and_keeps_first_seen(con, data, folder):
    land_imports(con, folder, sandbox_imports.COLUMNS, "run-1")
    before = _rows(con, sandbox_imports.DECLARED)
    rows = data.records("imports")[sandbox_imports.DECLARED]
    rows[0]["Société"] = "Corrigée SA"
    del rows[-1]
    sandbox_imports.write_files(data, folder)
    stats = land_imports(con, folder, sandbox_imports.COLUMNS, "run-2")
    after = _rows(con, sandbox_imports.DECLARED)
    assert stats.batches == 1
    assert len(after) == len(before) - 1
    assert "Corrigée SA" in after[0][1]
    assert after[0][2] == before[0][2], "first seen is kept"


def test_a_missing_folder_names_the_setting(con, tmp_path):
    with pytest.raises(ConfigError, match=r"sources\.imports\.folder"):
        land_imports(con, tmp_path / "nowhere", {}, "run-1")
