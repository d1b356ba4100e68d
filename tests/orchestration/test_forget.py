"""`leadpipe forget`: the person leaves the warehouse file, the exports and the destinations,
and re-ingesting the same source data does not bring them back."""

import json
import subprocess
from datetime import UTC, datetime

import duckdb
import pytest

from leadpipe.config import CONFIG_ENV, write_config
from leadpipe.erasure import request_erasure
from leadpipe.provenance import provenance
from leadpipe.pseudonyms import keyed_hash
from leadpipe.settings import WAREHOUSE_ENV
from orchestration.pipeline import ERASE, STAGES, run_pipeline
from sandbox.generator import Generator
from sandbox.platforms import serve
from tests.orchestration.leadpipe_command import LEADPIPE

pytestmark = pytest.mark.pipeline_runs(4)

PERSON = """
    select leads.lead_id, leads.email, leads.email_match_key
    from ops.sync_state as state
    join marts.dim_leads as leads on state.record_key = leads.lead_id
    where state.sync_name = 'hubspot_hot_leads'
    order by leads.lead_id
    limit 1
"""
LEDGER_EVENTS = "select count(*) from marts.consent_ledger where identifier_hash = ?"
CRM_COPIES = """
    select count(*) from raw.salesforce_leads where lower(payload->>'Email') = lower(?)
"""


@pytest.fixture(scope="module")
def erased(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("forget") / "warehouse.duckdb"
    data = Generator(seed=5, now=datetime(2026, 11, 20, tzinfo=UTC)).generate(150)
    with pytest.MonkeyPatch.context() as env, serve(data, hubspot_requests_per_10s=None) as p:
        env.setenv(WAREHOUSE_ENV, str(warehouse))
        for name, value in p.environment().items():
            env.setenv(name, value)
        assert run_pipeline().ok
        con = duckdb.connect(str(warehouse))
        lead_id, email, email_key = con.execute(PERSON).fetchall()[0]
        keys = [
            r[0]
            for r in con.execute(
                "select source_record_key from marts.lead_crosswalk where lead_id = ?", [lead_id]
            ).fetchall()
        ]
        raw_emails = [
            r[0]
            for r in con.execute(
                "select distinct email_raw from intermediate.int_contacts_unioned "
                "where source_record_key in (select unnest(?)) and email_raw is not null",
                [keys],
            ).fetchall()
        ]
        contact_id = p.hubspot.contacts[email.lower()]["id"]
        ledger = con.execute(LEDGER_EVENTS, [keyed_hash(email_key)]).fetchall()[0][0]
        con.close()
        p.salesforce.add_worked_leads(["placeholder"])  # a Lead sales keyed in by hand,
        p.salesforce.leads[-1] |= {  # with no leadpipe id, who then opted out
            "Leadpipe_Lead_Id__c": None,
            "Email": email.upper(),
            "HasOptedOutOfEmail": True,
        }
        assert run_pipeline(stages=STAGES[:1]).ok  # pulled before the erasure is processed
        con = duckdb.connect(str(warehouse))
        crm_copies = con.execute(CRM_COPIES, [email]).fetchall()[0][0]
        con.execute("checkpoint")
        before = warehouse.read_bytes()
        con.close()
        forgotten = subprocess.run(  # as a user runs it, against the stand-ins on 127.0.0.1
            [LEADPIPE, "forget", email], capture_output=True, text=True, timeout=600
        )
        yield {
            "platforms": p,
            "warehouse": warehouse,
            "lead_id": lead_id,
            "emails": {email, email_key, *raw_emails},
            "contact_id": contact_id,
            "before": before,
            "ledger_before": ledger,
            "crm_copies_before": crm_copies,
            "email": email,
            "email_hash": keyed_hash(email_key),
            "run": forgotten,
        }


def _query(warehouse, sql, params=None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_the_email_was_in_the_file_and_is_nowhere_in_it_after(erased):
    forgotten = erased["run"]
    assert forgotten.returncode == 0, forgotten.stderr[-2000:]
    said = " ".join(forgotten.stdout.split())  # the console wraps at the terminal's width
    assert "Erased 1 lead(s)" in said
    assert "The warehouse file was rewritten without them." in said
    assert erased["email"] not in forgotten.stdout + forgotten.stderr
    assert any(e.encode() in erased["before"] for e in erased["emails"]), "a test that can fail"
    content = erased["warehouse"].read_bytes()
    for email in erased["emails"]:
        assert email.encode() not in content, "erased email still in the warehouse file"
    assert _query(
        erased["warehouse"],
        "select count(*) from marts.dim_leads where lead_id = ?",
        [erased["lead_id"]],
    ) == [(0,)]
    assert erased["crm_copies_before"] == 1  # a CRM record without the lead id, by email
    assert _query(erased["warehouse"], CRM_COPIES, [erased["email"]]) == [(0,)]


def test_the_destinations_were_told_and_the_exports_rewritten(erased):
    platforms = erased["platforms"]
    assert erased["contact_id"] not in {c["id"] for c in platforms.hubspot.contacts.values()}
    assert erased["lead_id"] not in platforms.webhook.records
    assert erased["lead_id"] not in platforms.salesforce.upserted
    for path in platforms.exports_folder.iterdir():
        text = path.read_bytes()
        assert erased["lead_id"].encode() not in text
        assert not any(e.encode() in text for e in erased["emails"])
    audit = _query(erased["warehouse"], "select * from ops.erasure_log")
    assert len(audit) == 1 and audit[0][4] == 1 and audit[0][8] is not None  # compacted
    assert not any("@" in str(value) for value in audit[0])
    destinations = json.loads(audit[0][7])
    assert destinations["hubspot_hot_leads"] == {"erased": 1, "failed": 0}
    assert destinations["slack_hot_lead_alerts"]["cannot_erase"] == 1  # said so, not retried


def test_their_consent_events_leave_the_ledger_and_only_the_suppression_list_keeps_a_hash(erased):
    assert erased["ledger_before"] > 0, "a test that can fail"
    warehouse, hashed = erased["warehouse"], erased["email_hash"]
    assert _query(warehouse, LEDGER_EVENTS, [hashed]) == [(0,)]
    logged = _query(warehouse, "select sum(consent_events_deleted) from ops.erasure_log")
    assert logged[0][0] >= erased["ledger_before"]
    suppressed = "select reason from ops.suppression_list where identifier_hash = ?"
    assert _query(warehouse, suppressed, [hashed]) == [("erasure",)]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        answer = provenance(con, erased["email"])
    finally:
        con.close()
    assert answer.lead_ids == [] and answer.touchpoints.empty and answer.consent.empty
    assert answer.suppressed


def test_re_ingesting_the_same_data_does_not_bring_them_back(erased):
    con = duckdb.connect(str(erased["warehouse"]))
    con.execute("delete from ops.ingestion_cursors")  # pull everything again
    con.close()
    rerun = run_pipeline()
    assert rerun.ok, rerun.failure
    assert rerun.metadata["ops/erasure_log"]["records_erased"] > 0, "swept on arrival"
    content = erased["warehouse"].read_bytes()
    for email in erased["emails"]:
        assert email.encode() not in content
    hubspot = erased["platforms"].hubspot
    assert not any(email.lower() in hubspot.contacts for email in erased["emails"])


@pytest.fixture(scope="module")
def second_erasure(erased, tmp_path_factory):
    """One more erasure run, with the webhook down, while another person is past the retention
    period (as if their last form were four years old)."""
    warehouse = erased["warehouse"]
    config = erased["platforms"].config()
    config.destinations["webhook"].base_url = "http://127.0.0.1:9"  # nothing listens there
    con = duckdb.connect(str(warehouse))
    lead_id, email, _ = con.execute(PERSON).fetchall()[0]
    stale_lead, stale_key = con.execute(
        "select lead_id, email_match_key from marts.dim_leads "
        "where email_match_key is not null and lead_id != ? order by lead_id limit 1",
        [lead_id],
    ).fetchall()[0]
    con.execute(
        "update marts.dim_leads set last_captured_at = now() - interval 1460 days, "
        "first_seen_at = now() - interval 1460 days where lead_id = ?",
        [stale_lead],
    )
    con.execute("checkpoint")
    was_in_file = email.encode() in warehouse.read_bytes()
    request_erasure(con, email)
    con.close()
    with pytest.MonkeyPatch.context() as env:
        folder = tmp_path_factory.mktemp("webhook_down")
        env.setenv(CONFIG_ENV, str(write_config(config, folder / "leadpipe.yml")))
        run = run_pipeline(stages=ERASE, full_resync=True)  # every sync sends: the webhook fails
    return {
        "run": run,
        "email": email,
        "was_in_file": was_in_file,
        "stale_key": stale_key,
    }


def test_people_inactive_past_the_retention_period_are_purged_without_suppression(
    erased, second_erasure
):
    warehouse = erased["warehouse"]
    assert second_erasure["run"].metadata["ops/erasure_log"]["retention: leads"] == 1
    stale_key = second_erasure["stale_key"]
    assert _query(
        warehouse, "select count(*) from marts.dim_leads where email_match_key = ?", [stale_key]
    ) == [(0,)]
    audit = _query(
        warehouse, "select reason, leads_erased from ops.erasure_log where reason = 'retention'"
    )
    assert audit == [("retention", 1)]
    suppressed = "select count(*) from ops.suppression_list where identifier_hash = ?"
    assert _query(warehouse, suppressed, [keyed_hash(stale_key)]) == [(0,)]


def test_a_sync_failing_in_the_erasure_run_does_not_keep_the_person_in_the_file(
    erased, second_erasure
):
    """The syncs run before the compaction: one that fails (or is blocked by its gate) must
    not leave the erased person's deleted bytes on disk."""
    warehouse, run = erased["warehouse"], second_erasure["run"]
    assert run.failure == (
        "Cannot reach http://127.0.0.1:9: check destinations.webhook.base_url in leadpipe.yml "
        "and the network."
    )
    assert second_erasure["was_in_file"], "a test that can fail"
    assert second_erasure["email"].encode() not in warehouse.read_bytes()
    [(destinations, compacted_at)] = _query(
        warehouse,
        "select destinations, compacted_at from ops.erasure_log "
        "where reason = 'erasure' order by processed_at desc limit 1",
    )
    assert compacted_at is not None
    assert json.loads(destinations)["webhook_hot_leads"]["failed"] == 1  # asked again next run
