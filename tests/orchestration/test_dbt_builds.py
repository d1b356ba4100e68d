"""A dbt step is rebuilt from scratch the first time, after its models changed, or when asked."""

import shutil

import duckdb

from leadpipe.settings import DBT_PROJECT_DIR
from orchestration import dbt_project
from orchestration.dbt_builds import (
    build_fingerprint,
    forget_builds,
    needs_full_refresh,
    record_build,
)


def test_a_step_runs_incrementally_only_after_a_build_with_the_same_fingerprint(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema ops")
    current = build_fingerprint()
    assert needs_full_refresh(con, "dbt_leads", current)  # never built
    record_build(con, "dbt_leads", current)
    assert not needs_full_refresh(con, "dbt_leads", current)
    assert needs_full_refresh(con, "dbt_contacts", current)  # each step on its own
    assert needs_full_refresh(con, "dbt_leads", "models edited since")
    record_build(con, "dbt_leads", current)  # a second success replaces the first
    assert con.execute("select count(*) from ops.dbt_builds").fetchall() == [(1,)]
    forget_builds(con)  # leadpipe run --rebuild
    assert needs_full_refresh(con, "dbt_leads", current)


def test_the_fingerprint_changes_with_a_seed_a_model_or_the_project_settings(tmp_path, monkeypatch):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(dbt_project, "DBT_PROJECT_DIR", project)
    seen = {build_fingerprint()}
    for edited in ("seeds/lead_sources.csv", "models/marts/leads/dim_leads.sql", "dbt_project.yml"):
        with (project / edited).open("a") as file:
            file.write("\n")
        seen.add(build_fingerprint())
    assert len(seen) == 4
