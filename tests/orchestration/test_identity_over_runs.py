"""A person keeps their lead_id across runs; a merge of two existing persons is recorded; a
shared role inbox does not merge colleagues; the second, incremental build equals a build from
scratch."""

from datetime import UTC, datetime, timedelta

import dagster as dg
import duckdb
import pytest

from leadpipe.settings import WAREHOUSE_ENV
from orchestration.definitions import PIPELINE_ASSETS
from orchestration.pipeline import STAGES, run_pipeline
from orchestration.resources import build_resources
from sandbox.generator import Generator, Person
from sandbox.platforms import serve

pytestmark = pytest.mark.pipeline_runs(3)


def _person(person_id, first, last, email=None, phone=None):
    return Person(
        person_id=person_id,
        first_name=first,
        last_name=last,
        email=email,
        personal_email=None,
        phone_digits=phone,
        country="FR",
        company="Acme Industrie",
        job_title="Directeur commercial",
        consent_sales=True,
        consent_newsletter=True,
        wants_demo=False,
    )


ALICE_BY_EMAIL = _person("PALICE", "Alice", "Moreau", email="alice.moreau@acme-industrie.fr")
ALICE_BY_PHONE = _person("PALICE", "Alice", "Moreau", phone="698765432")
ALICE_WITH_BOTH = _person(
    "PALICE", "Alice", "Moreau", email="alice.moreau@acme-industrie.fr", phone="698765432"
)
BRUNO = _person("PBRUNO", "Bruno", "Lefèvre", email="contact@acme-industrie.fr")
CLAIRE = _person("PCLAIRE", "Claire", "Garnier", email="contact@acme-industrie.fr")
SWITCHBOARD = "145678901"
DENIS_AT_WORK = _person("PDENIS", "Denis", "Roux", email="denis.roux@roux-sa.fr", phone=SWITCHBOARD)
DENIS_BY_PHONE = _person("PDENIS", "Denis", "Roux", phone=SWITCHBOARD)
COLLEAGUES = [
    _person(f"PCOLL{n}", first, last, phone=SWITCHBOARD)
    for n, (first, last) in enumerate([("Emma", "Petit"), ("Farid", "Haddad"), ("Gaëlle", "Roy")])
]
TRANSFORM = [stage for stage in STAGES if stage[0] in ("ingest", "dbt", "enrich")]  # no syncs
# What an incremental build must get exactly as a build from scratch does.
REBUILT = (
    "intermediate.int_contacts_enriched",
    "intermediate.int_identity_edges",
    "intermediate.int_leads_resolved",
    "intermediate.int_lead_attributes_survived",
    "intermediate.int_consent_events",
    "intermediate.int_leads_profiled",
    "marts.consent_current",
    "marts.fct_touchpoints",
    "marts.lead_score_events",
    "marts.dim_leads",
)


def _crosswalk(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return dict(
            con.execute("select source_record_key, lead_id from marts.lead_crosswalk").fetchall()
        )
    finally:
        con.close()


def _tables(warehouse) -> dict[str, list]:
    return {
        table: _query(
            warehouse,
            "select columns(lambda c: c not in ('batch_at', 'scored_at')) "
            f"from {table} order by all",
        )
        for table in REBUILT
    }


def _query(warehouse, sql):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("runs") / "warehouse.duckdb"
    now = datetime.now(UTC).replace(microsecond=0)
    generator = Generator(seed=5, now=now - timedelta(hours=2))
    data = generator.generate(300)
    ids = {
        "alice_email": generator.fill_typeform(data, ALICE_BY_EMAIL, now - timedelta(hours=5)),
        "alice_phone": generator.fill_typeform(data, ALICE_BY_PHONE, now - timedelta(hours=4)),
        "bruno": generator.fill_typeform(data, BRUNO, now - timedelta(hours=4)),
        "claire": generator.fill_typeform(data, CLAIRE, now - timedelta(hours=3)),
        "denis_work": generator.fill_typeform(data, DENIS_AT_WORK, now - timedelta(hours=3)),
        "denis_phone": generator.fill_typeform(data, DENIS_BY_PHONE, now - timedelta(hours=3)),
    }
    with pytest.MonkeyPatch.context() as env, serve(data, hubspot_requests_per_10s=None) as p:
        env.setenv(WAREHOUSE_ENV, str(warehouse))
        for name, value in p.environment().items():
            env.setenv(name, value)
        first = run_pipeline(stages=TRANSFORM)
        before = _crosswalk(warehouse)
        generator.add(data, 30, start=now - timedelta(hours=1), end=now - timedelta(minutes=5))
        ids["alice_both"] = generator.fill_typeform(
            data, ALICE_WITH_BOTH, now - timedelta(minutes=2)
        )
        for colleague in COLLEAGUES:  # the switchboard now carries too many names to link
            generator.fill_typeform(data, colleague, now - timedelta(minutes=2))
        second = run_pipeline(stages=TRANSFORM)
        after = _crosswalk(warehouse)
        incremental = _tables(warehouse)
        batches = _query(
            warehouse, "select count(distinct batch_at) from intermediate.int_leads_resolved"
        )[0][0]
        rebuilt = run_pipeline(stages=TRANSFORM, rebuild=True)
        from_scratch = _tables(warehouse)
    keys = {name: next(k for k in after if k.endswith(f":{rid}")) for name, rid in ids.items()}
    yield {
        "first": first,
        "second": second,
        "before": before,
        "after": after,
        "keys": keys,
        "warehouse": warehouse,
        "rebuilt": rebuilt,
        "incremental": incremental,
        "batches": batches,
        "from_scratch": from_scratch,
    }


def test_both_runs_succeed_and_the_second_brings_new_records(runs):
    assert runs["first"].ok and runs["second"].ok and runs["rebuilt"].ok
    assert len(runs["after"]) >= len(runs["before"]) + 25


def test_every_person_keeps_their_lead_id_unless_merged(runs):
    before, after, keys = runs["before"], runs["after"], runs["keys"]
    alice = {keys["alice_email"], keys["alice_phone"]}
    denis = {keys["denis_work"], keys["denis_phone"]}
    unchanged = [k for k in before if k not in alice | denis]
    assert unchanged and all(after[k] == before[k] for k in unchanged)


def test_a_record_linking_two_persons_merges_them_and_the_merge_is_recorded(runs):
    before, after, keys = runs["before"], runs["after"], runs["keys"]
    by_email, by_phone = before[keys["alice_email"]], before[keys["alice_phone"]]
    assert by_email != by_phone  # nothing linked her two records in the first run
    survivor = after[keys["alice_both"]]
    assert after[keys["alice_email"]] == after[keys["alice_phone"]] == survivor
    assert survivor in (by_email, by_phone)  # the earliest first-seen record's id survives
    merged_away = by_phone if survivor == by_email else by_email
    assert _query(
        runs["warehouse"],
        "select previous_lead_id, lead_id, change from marts.lead_merges where change = 'merged'",
    ) == [(merged_away, survivor, "merged")]


def test_colleagues_sharing_a_role_inbox_stay_two_people_and_are_listed_for_review(runs):
    after, keys = runs["after"], runs["keys"]
    assert after[keys["bruno"]] != after[keys["claire"]]
    reviewed = _query(
        runs["warehouse"],
        "select persons from marts.identity_review "
        "where subject = 'role_email:contact@acme-industrie.fr'",
    )
    assert reviewed and reviewed[0][0] >= 2


def test_a_phone_turned_switchboard_by_new_records_splits_the_person_it_linked(runs):
    before, after, keys = runs["before"], runs["after"], runs["keys"]
    assert before[keys["denis_work"]] == before[keys["denis_phone"]]  # one name on the phone
    assert after[keys["denis_work"]] != after[keys["denis_phone"]]  # four names: links no one
    # both landed in one run: the first by record key keeps the id, the other is split off
    kept, split = sorted((keys["denis_work"], keys["denis_phone"]))
    assert after[kept] == before[kept]
    assert _query(
        runs["warehouse"],
        "select previous_lead_id, lead_id from marts.lead_merges where change = 'split'",
    ) == [(before[kept], after[split])]


def test_the_incremental_build_equals_a_build_from_scratch(runs):
    incremental, from_scratch = runs["incremental"], runs["from_scratch"]
    assert runs["batches"] == 2  # the second build kept the first one's untouched rows
    assert all(incremental[table] for table in REBUILT)
    for table in REBUILT:
        assert incremental[table] == from_scratch[table], table


def test_rebuilding_a_few_models_from_the_ui_leaves_the_rest_of_the_step_to_rebuild(
    runs, monkeypatch
):
    warehouse = runs["warehouse"]
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("delete from ops.dbt_builds where step = 'dbt_leads'")  # models changed
    finally:
        con.close()
    result = dg.materialize(
        PIPELINE_ASSETS,
        selection=dg.AssetSelection.assets(dg.AssetKey(["marts", "dim_leads"])),
        resources=build_resources(),
    )
    assert result.success
    recorded = _query(warehouse, "select step from ops.dbt_builds order by step")
    assert recorded == [("dbt_contacts",)]  # the next whole build of dbt_leads starts afresh
