"""The whole flow on a small generated dataset, checked against the generator's truth."""

import collections
import csv
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from enrichment.emails import enrich_email
from leadpipe.config import CONFIG_ENV, ProviderConfig, SegmentConfig, write_config
from leadpipe.errors import ConfigError
from leadpipe.provenance import provenance
from leadpipe.pseudonyms import keyed_hash
from leadpipe.settings import WAREHOUSE_ENV
from orchestration.assets.ingestion import RAW_CHECKS
from orchestration.assets.quality import WAREHOUSE_CHECKS
from orchestration.dbt_project import dbt_cli
from orchestration.pipeline import STAGES, run_pipeline
from sandbox.channels import imports as sandbox_imports
from sandbox.generator import META_TEST_VALUE, Generator
from sandbox.identity_quality import merge_quality
from sandbox.platforms import NURTURE_AUDIENCE_ID, NURTURE_LIST_NAME, SANDBOX_SYNCS, serve

pytestmark = pytest.mark.pipeline_runs(6)

COUNTED_TABLES = (
    "raw.meta_lead_ads_leads",
    "raw.typeform_responses",
    "marts.dim_leads",
    "marts.lead_crosswalk",
    "marts.consent_current",
    "marts.lead_score_events",
    "quarantine.quarantined_contacts",
    "marts.segment_memberships",
)
HOT_LEADS_SYNC = "activation/hubspot_hot_leads"
MALFORMED_META_LEAD = {"id": "1999000000000001", "created_time": "2026-11-19T10:00:00+0000"}
HOT_AND_CONSENTED = """
    select leads.email_match_key, leads.email
    from marts.segment_memberships as members
    join marts.dim_leads as leads using (lead_id)
    where members.segment = 'hot_leads_sales_contact' and members.is_marketable
    order by leads.lead_id
"""


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("e2e") / "warehouse.duckdb"
    data = Generator(seed=11, now=datetime(2026, 11, 20, tzinfo=UTC)).generate(800)
    form_id, leads = next(iter(data.meta_leads.items()))
    leads.append(MALFORMED_META_LEAD | {"form_id": form_id})  # the API changed its shape
    with pytest.MonkeyPatch.context() as env, serve(data, hubspot_requests_per_10s=None) as p:
        env.setenv(WAREHOUSE_ENV, str(warehouse))
        for name, value in p.environment().items():
            env.setenv(name, value)
        run = run_pipeline()
        yield {"data": data, "platforms": p, "warehouse": warehouse, "run": run}


def _query(flow, sql):
    con = duckdb.connect(str(flow["warehouse"]), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _ingest_with(flow, tmp_path, env=None, **sources):
    """Run the ingest stage with some credentials or source settings changed, then restore."""
    config = flow["platforms"].config()
    for platform, changes in sources.items():
        config.sources[platform] = config.sources[platform].model_copy(update=changes)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CONFIG_ENV, str(write_config(config, tmp_path / "leadpipe.yml")))
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        return run_pipeline(stages=STAGES[:1])


def _counts(flow):
    return {table: _query(flow, f"select count(*) from {table}")[0][0] for table in COUNTED_TABLES}


def test_the_run_succeeds_with_every_check_passing_but_the_malformed_leads_warning(flow):
    run = flow["run"]
    assert run.ok, run.failure or run.blocked
    failed = [check for check, passed in run.checks.items() if not passed]
    assert failed == ["raw/meta_lead_ads_leads:raw_meta_lead_ads_leads_suite"]  # a warning
    assert len(run.checks) > 50
    assert run.metadata["raw/meta_lead_ads_leads"]["pulled"] == sum(
        map(len, flow["data"].meta_leads.values())
    )
    sync = run.metadata[HOT_LEADS_SYNC]
    assert sync["succeeded"] == sync["sent"] > 0
    nurture = run.metadata["activation/hubspot_nurture_list"]
    assert nurture["succeeded"] == nurture["sent"] > 0


def test_every_destination_received_its_consented_segment(flow):
    platforms = flow["platforms"]
    figures = {
        key.removeprefix("activation/"): value
        for key, value in flow["run"].metadata.items()
        if key.startswith("activation/")
    }
    assert set(figures) == set(SANDBOX_SYNCS)
    for name, sync in figures.items():
        assert sync["succeeded"] == sync["sent"] > 0 and sync["failed"] == 0, name
    hot = figures["hubspot_hot_leads"]["sent"]
    assert len(platforms.webhook.records) == hot
    assert sum(len(m["blocks"]) - 1 for m in platforms.slack.messages) == hot
    export = platforms.exports_folder / "hot_leads_export.csv"
    with export.open(encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.DictReader(file))) == hot  # a message may hold line breaks
    assert (platforms.exports_folder / "hot_leads_export.parquet").exists()
    salesforce = figures["salesforce_hot_leads"]
    assert len(platforms.salesforce.upserted) == salesforce["sent"]
    assert salesforce["sent"] + salesforce["invalid"] == hot, "no Company: invalid, not sent"
    audience = platforms.meta_audiences.audiences[NURTURE_AUDIENCE_ID]
    assert 0 < len(audience) <= figures["meta_nurture_audience"]["sent"]  # leads share emails
    assert platforms.meta_audiences.invalid_entries == 0


def test_the_syncs_are_logged_without_personal_data(flow):
    runs = _query(flow, "select sync_name, status, sent, succeeded from ops.sync_runs")
    state = dict(_query(flow, "select sync_name, count(*) from ops.sync_state group by 1"))
    assert sorted(runs) == [(name, "success", n, n) for name, n in sorted(state.items())]
    listed = _query(
        flow,
        "select count(distinct destination_id) from ops.sync_state "
        "where sync_name = 'hubspot_nurture_list'",
    )[0][0]
    assert listed == len(flow["platforms"].hubspot.list_named(NURTURE_LIST_NAME)) > 0
    keys = _query(
        flow, "select record_key, status from ops.sync_changelog where operation != 'invalid'"
    )
    assert len(keys) == sum(state.values())
    assert all(key.startswith("ld_") and status == "success" for key, status in keys)
    logged = _query(flow, "select string_agg(columns(*)::varchar, '') from ops.sync_changelog")
    assert "@" not in str(logged)


def test_people_seen_on_two_channels_are_one_lead(flow):
    data = flow["data"]
    lead_of = {
        (p, r): lead
        for p, r, lead in _query(
            flow, "select split_part(source, '/', 1), record_id, lead_id from marts.lead_crosswalk"
        )
    }
    with_email = set(
        _query(
            flow,
            "select split_part(source, '/', 1), record_id "
            "from intermediate.int_contacts_enriched where email_is_valid",
        )
    )
    checked = 0
    for person_id, person in data.people.items():
        if not person.email or not enrich_email(person.email)[2] or person.personal_email:
            continue  # no valid email shared by all their records
        if person.email.startswith("contact@"):
            continue  # a shared role inbox links only with the name: see the quality test
        records = [
            k for k, p in data.truth.items() if p == person_id and k in lead_of and k in with_email
        ]
        if len({platform for platform, _ in records}) < 2:
            continue
        assert len({lead_of[k] for k in records}) == 1, person_id
        checked += 1
    assert checked >= 20


def test_a_message_written_in_a_form_reaches_the_lead_as_written(flow):
    people, truth = flow["data"].people, flow["data"].truth
    rows = _query(
        flow,
        """
        with served as (
            select 'typeform' as platform, _record_id, payload from raw.typeform_responses
            union all
            select 'hubspot_forms', _record_id, payload from raw.hubspot_form_submissions
            union all
            select 'tally', _record_id, payload from raw.tally_submissions
        )
        select served.platform, served._record_id, served.payload, leads.message
        from served
        join marts.lead_crosswalk as crosswalk
            on crosswalk.record_id = served._record_id
            and split_part(crosswalk.source, '/', 1) = served.platform
        join marts.dim_leads as leads using (lead_id)
        """,
    )
    written = collections.defaultdict(list)  # platform -> (what the person wrote, stored)
    for platform, record_id, payload, stored in rows:
        sent = people[truth[(platform, record_id)]].message
        if sent and sent in _strings(json.loads(payload)):  # a partial response has none
            written[platform].append((sent, stored))
    assert set(written) == {"typeform", "hubspot_forms", "tally"}, "a test that can fail"
    for platform, messages in written.items():
        assert all(sent == stored for sent, stored in messages), platform  # line breaks kept


def _strings(value) -> set[str]:
    """Every string in a JSON document."""
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values()))
    if isinstance(value, list):
        return set().union(*map(_strings, value))
    return {value} if isinstance(value, str) else set()


def test_a_chatbot_conversation_joins_the_lead_it_was_with(flow):
    joined, total = _query(
        flow,
        """
        with conversations as (
            select _record_id, payload -> 'contacts' -> 'contacts' -> 0 ->> 'id' as contact_id
            from raw.intercom_conversations
        )
        select count(*) filter (where talk.lead_id = lead.lead_id), count(*)
        from conversations
        join marts.lead_crosswalk as talk
            on talk.record_id = conversations._record_id
            and talk.source like 'intercom_conversations/%'
        join marts.lead_crosswalk as lead
            on lead.record_id = conversations.contact_id
            and lead.source like 'intercom_contacts/%'
        """,
    )[0]
    assert joined == total > 10


def test_merges_are_precise_and_complete_against_the_truth(flow):
    con = duckdb.connect(str(flow["warehouse"]), read_only=True)
    try:
        quality = merge_quality(con, flow["data"])
    finally:
        con.close()
    print(f"identity on the e2e data: {quality}")
    assert quality["records"] > 700
    assert quality["precision"] >= 0.99 and quality["recall"] >= 0.95


def test_each_configured_segment_lists_its_members_with_their_consent(flow):
    rows = _query(
        flow,
        """
        select segment, purpose, count(*),
               count(*) filter (where is_marketable),
               bool_and(is_marketable = (leads.consent_sales_contact = 'granted'))
                   filter (where purpose = 'sales_contact'),
               bool_and(leads.tier = 'hot') filter (where segment = 'hot_leads_sales_contact')
        from marts.segment_memberships
        join marts.dim_leads as leads using (lead_id)
        group by segment, purpose order by segment
        """,
    )
    assert [row[:2] for row in rows] == [
        ("hot_leads_sales_contact", "sales_contact"),
        ("warm_leads_nurture", "email_marketing"),
    ]
    hot = rows[0]
    assert hot[2] > hot[3] > 0 and hot[4] and hot[5]
    synced = _query(
        flow, "select count(*) from ops.sync_state where sync_name = 'hubspot_hot_leads'"
    )[0][0]
    assert synced == hot[3]


def test_no_one_reached_hubspot_without_consent_for_the_purpose(flow):
    def key(email):
        return enrich_email(email)[4]

    people_by_key = {
        key(email): person
        for person in flow["data"].people.values()
        for email in (person.email, person.personal_email)
        if email
    }
    hubspot = flow["platforms"].hubspot
    nurtured = hubspot.list_named(NURTURE_LIST_NAME)
    assert hubspot.contacts and nurtured
    for email, contact in hubspot.contacts.items():
        person = people_by_key[key(email)]
        if contact["id"] in nurtured:
            assert person.consent_newsletter is True, "sent to nurture without consent"
        else:
            assert person.consent_sales is True, "sent to sales without consent"


def test_the_consent_ledger_holds_every_event_pseudonymised(flow):
    events = _query(flow, "select count(*) from intermediate.int_consent_events")[0][0]
    ledger = _query(
        flow,
        "select count(*), count(*) filter (where identifier_hash like '%@%'), "
        "count(distinct status) from marts.consent_ledger",
    )[0]
    assert ledger[0] == events > 0 and ledger[1] == 0 and ledger[2] >= 2
    pages = _query(  # where web-form consent was given, without the query string
        flow,
        "select capture_platform, count(*) = count(capture_url), "
        "count(*) filter (where capture_url like 'https://%' and capture_url not similar to "
        "'.*[?#].*') = count(*) from marts.consent_ledger "
        "where capture_platform in ('typeform', 'hubspot_forms') group by 1 order by 1",
    )
    assert pages == [("hubspot_forms", True, True), ("typeform", True, True)]
    assert _query(
        flow,
        "select count(capture_url) from marts.consent_ledger "
        "where capture_platform not in ('typeform', 'hubspot_forms')",
    ) == [(0,)]


def _provenance_command(email: str) -> subprocess.CompletedProcess:
    """`leadpipe provenance EMAIL` as a user runs it, on a wide terminal."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "leadpipe"), "provenance", email],
        env=os.environ | {"COLUMNS": "400"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_provenance_says_where_a_lead_came_from_and_what_they_agreed_to(flow):
    email_key, email = _query(flow, HOT_AND_CONSENTED + " limit 1")[0]
    con = duckdb.connect(str(flow["warehouse"]), read_only=True)
    try:
        answer = provenance(con, email)
        lead_id = con.execute(
            "select lead_id from marts.dim_leads where email_match_key = ?", [email_key]
        ).fetchall()[0][0]
        touchpoints = con.execute(
            "select count(*) from marts.fct_touchpoints where lead_id = ?", [lead_id]
        ).fetchall()[0][0]
        events = con.execute(  # in clear, before the ledger hashes them
            "select count(*) from intermediate.int_consent_events "
            "where identifier in (select unnest(?::varchar[]))",
            [[value for _, value in answer.identifiers]],
        ).fetchall()[0][0]
    finally:
        con.close()
    assert answer.lead_ids == [lead_id] and not answer.suppressed
    assert ("email", email_key) in answer.identifiers
    assert len(answer.touchpoints) == touchpoints > 0
    assert len(answer.consent) == events > 0
    given = answer.consent[answer.consent["identifier"] == email_key]
    assert ("sales_contact", "granted") in set(zip(given["purpose"], given["status"], strict=True))
    shown = _provenance_command(email)
    assert shown.returncode == 0, shown.stderr
    assert f"Lead {lead_id}" in shown.stdout and "sales_contact" in shown.stdout


def test_provenance_of_a_shared_inbox_discloses_no_one_elses_data(flow):
    shared = _query(
        flow,
        "select any_value(contacts.email), contacts.email_match_key, "
        "list(distinct crosswalk.lead_id), list(contacts.source_record_key) "
        "from intermediate.int_contacts_enriched as contacts "
        "join marts.lead_crosswalk as crosswalk using (source_record_key) "
        "group by contacts.email_match_key having count(distinct crosswalk.lead_id) > 1 "
        "order by 2 limit 1",
    )
    assert shared, "the generator shares role inboxes"
    email, email_key, lead_ids, records = shared[0]
    con = duckdb.connect(str(flow["warehouse"]), read_only=True)
    try:
        others = con.execute(  # the other emails and phones of the people on it
            "select distinct coalesce(contacts.email_match_key, ''), "
            "coalesce(contacts.phone_e164, '') "
            "from intermediate.int_contacts_enriched as contacts "
            "join marts.lead_crosswalk as crosswalk using (source_record_key) "
            "where crosswalk.lead_id in (select unnest(?::varchar[]))",
            [lead_ids],
        ).fetchall()
        answer = provenance(con, email)
    finally:
        con.close()
    assert answer.shared_by == len(lead_ids) and answer.lead_ids == []
    assert answer.identifiers == [("email", email_key)]
    assert len(answer.touchpoints) == len(records)
    shown = _provenance_command(email)
    assert shown.returncode == 0, shown.stderr
    assert f"shared by {len(lead_ids)} people" in shown.stdout
    leaked = [v for pair in others for v in pair if v and v != email_key and v in shown.stdout]
    assert leaked == [] and not any(lead_id in shown.stdout for lead_id in lead_ids)


def test_quality_results_are_kept_for_every_suite(flow):
    suites = _query(
        flow, "select suite, bool_and(success) from ops.quality_results group by 1 order by 1"
    )
    malformed = "raw_meta_lead_ads_leads"  # the Meta lead without field_data
    assert suites == sorted(
        {(check.suite, check.suite != malformed) for check in [*WAREHOUSE_CHECKS, *RAW_CHECKS]}
    )
    assert len(suites) == 15


def test_every_quarantined_record_has_a_reason_and_its_raw_record(flow):
    rows = _query(flow, "select quarantine_reason, raw_record from quarantine.quarantined_contacts")
    reasons = collections.Counter(reason for reason, _ in rows)
    assert all(raw for _, raw in rows)
    data = flow["data"]
    test_leads = sum(
        any(
            META_TEST_VALUE.format("email") in v
            for f in lead.get("field_data", [])
            for v in f["values"]
        )
        for leads in data.meta_leads.values()
        for lead in leads
    ) + sum(r["testLead"] for rs in data.records("linkedin_lead_sync").values() for r in rs)
    assert reasons["platform_test_lead"] == test_leads
    assert reasons["import_without_lawful_basis_or_source"] == len(
        data.records("imports")[sandbox_imports.UNDECLARED]
    )
    assert reasons["unknown_source"] >= 1
    assert reasons["no_email_and_no_phone"] >= 1
    assert reasons["malformed_payload"] == 1  # no field_data: not "no email and no phone"
    accepted = _query(flow, "select count(*) from marts.lead_crosswalk")[0][0]
    malformed = 1  # not in the generator's truth
    assert accepted + len(rows) == flow["data"].record_count + malformed, "a record went missing"
    metadata = flow["run"].metadata["quarantine/quarantined_contacts"]
    assert metadata["quarantined"] == len(rows)
    assert {key: metadata[f"quarantined/{key}"] for key in reasons} == reasons


def test_running_again_gives_the_same_warehouse(flow):
    before = _counts(flow)
    identity = "select source_record_key, lead_id from marts.lead_crosswalk order by all"
    leads_before, merges_before = _query(flow, identity), _query(flow, "from marts.lead_merges")
    rerun = run_pipeline()
    assert rerun.ok, rerun.failure
    assert _counts(flow) == before
    assert _query(flow, identity) == leads_before, "nothing new: no lead_id changes"
    assert _query(flow, "from marts.lead_merges") == merges_before, "and nothing merges"
    assert rerun.metadata["ops/enrichment_emails"]["new_values"] == 0
    syncs = {k: v for k, v in rerun.metadata.items() if k.startswith("activation/")}
    assert len(syncs) == 7 and all(figures["sent"] == 0 for figures in syncs.values())
    synced = _query(flow, "select count(*) from ops.sync_state")[0][0]
    assert sum(figures["unchanged"] for figures in syncs.values()) == synced


def test_gate_blocks_a_row_without_consent_time_and_nothing_is_sent(flow):
    con = duckdb.connect(str(flow["warehouse"]))
    email_key = con.execute(HOT_AND_CONSENTED + " limit 1").fetchall()[0][0]
    con.execute(
        "update marts.consent_current set status_at = null "
        "where identifier = ? and purpose = 'sales_contact'",
        [email_key],
    )
    synced = con.execute(
        "select count(*) from ops.sync_state where sync_name = 'hubspot_hot_leads'"
    ).fetchall()[0][0]
    con.close()
    run = run_pipeline(stages=[s for s in STAGES if s[0] == "activate"], full_resync=True)
    rule = f"outgoing: 'consent timestamp present' failed on 1 of {synced} rows"
    assert sorted(run.blocked) == [  # every sync of the hot leads that had rows to send
        f"Sync {name} stopped, nothing sent. {rule}"
        for name in ("hot_leads_export", "hubspot_hot_leads", "salesforce_hot_leads")
    ] + [f"Sync webhook_hot_leads stopped, nothing sent. {rule}"]
    assert run.failure is None, "the other syncs ran"
    assert HOT_LEADS_SYNC not in run.metadata
    assert run.metadata["activation/hubspot_nurture_list"]["sent"] > 0
    statuses = _query(
        flow,
        "select status, sent from ops.sync_runs where sync_name = 'hubspot_hot_leads' "
        "order by finished_at desc limit 1",
    )
    assert statuses == [("blocked", 0)]
    con = duckdb.connect(str(flow["warehouse"]))
    con.execute(
        "update marts.consent_current set status_at = timestamptz '2026-11-01 00:00:00+00' "
        "where identifier = ? and purpose = 'sales_contact'",
        [email_key],
    )
    con.close()


def test_consent_gate_holds_back_a_withdrawn_person_at_send_time(flow):
    con = duckdb.connect(str(flow["warehouse"]))
    email_key, email = con.execute(HOT_AND_CONSENTED + " limit 1").fetchall()[0]
    con.execute(
        "update marts.consent_current set status = 'denied' where identifier = ? "
        "and purpose = 'sales_contact'",
        [email_key],
    )
    con.close()
    flow["platforms"].hubspot.contacts.clear()
    run = run_pipeline(stages=[s for s in STAGES if s[0] == "activate"], full_resync=True)
    assert run.ok, run.failure
    sync = run.metadata[HOT_LEADS_SYNC]
    assert sync["held_back_by_consent"] >= 1 and sync["remove"] == 1
    assert email.lower() not in flow["platforms"].hubspot.contacts


def test_a_wrong_token_stops_its_source_only_with_the_setting_to_fix(flow, tmp_path):
    run = _ingest_with(flow, tmp_path, env={"LEADPIPE_META_ACCESS_TOKEN": "revoked-token"})
    assert run.source_failures == {  # both read with the Meta token
        "raw__meta_lead_ads_leads": "Meta Lead Ads refused the credentials (HTTP 400): "
        "set LEADPIPE_META_ACCESS_TOKEN to a valid token.",
        "raw__meta_ad_insights": "Meta Ads insights refused the credentials (HTTP 400): "
        "set LEADPIPE_META_ACCESS_TOKEN to a valid token.",
    }
    assert run.metadata["raw/typeform_responses"]["enabled"] is True


def test_an_unreachable_platform_is_one_clear_message(flow, tmp_path):
    run = _ingest_with(flow, tmp_path, typeform={"base_url": "http://127.0.0.1:9"})
    assert run.source_failures == {
        "raw__typeform_responses": "Cannot reach http://127.0.0.1:9: check "
        "sources.typeform.base_url in leadpipe.yml and the network."
    }


def test_a_source_switched_off_pulls_nothing_and_the_run_goes_on(flow, tmp_path):
    requests_before = len(flow["platforms"].typeform.requests)
    run = _ingest_with(flow, tmp_path, typeform={"enabled": False})
    assert run.ok
    assert run.metadata["raw/typeform_responses"] == {"enabled": False, "pulled": 0}
    assert len(flow["platforms"].typeform.requests) == requests_before


def test_a_backfill_re_lands_a_past_window_and_leaves_the_cursors(flow):
    cursors = _query(flow, "select stream, cursor_value from ops.ingestion_cursors order by 1")
    before = _query(flow, "select _record_id, payload from raw.meta_lead_ads_leads order by 1")
    con = duckdb.connect(str(flow["warehouse"]))
    lost = con.execute(
        "delete from raw.meta_lead_ads_leads where payload->>'created_time' between "
        "'2026-11-01' and '2026-11-06'"
    ).fetchone()[0]
    con.close()
    assert lost > 0
    run = run_pipeline(stages=STAGES[:1], backfill=("2026-11-01", "2026-11-05"))
    assert run.ok, run.source_failures
    assert run.metadata["raw/meta_lead_ads_leads"]["pulled"] == lost
    assert (
        _query(flow, "select _record_id, payload from raw.meta_lead_ads_leads order by 1") == before
    )
    assert (
        _query(flow, "select stream, cursor_value from ops.ingestion_cursors order by 1") == cursors
    )


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (("2026-11-05", "2026-11-01"), "--to day is before its --from day"),
        (("2023-12-31", "2026-11-01"), "from 2024-01-01 to today"),
        (("2026-11-01", "yesterday"), "YYYY-MM-DD"),
    ],
)
def test_a_backfill_outside_the_daily_partitions_is_refused_before_pulling(flow, days, message):
    requests_before = len(flow["platforms"].meta.requests)
    with pytest.raises(ConfigError, match=message):
        run_pipeline(stages=STAGES[:1], backfill=days)
    assert len(flow["platforms"].meta.requests) == requests_before


UNDECLARED_QUARANTINED = """
    select count(*) from quarantine.quarantined_contacts
    where quarantine_reason = 'import_without_lawful_basis_or_source'
"""


@pytest.fixture(scope="module")
def second_pass(flow):
    """Upstream changes that each show on the next run, made together and run once: an import
    declared after it landed, sales working the leads in both CRMs, opt-outs in both CRMs."""
    platforms = flow["platforms"]
    hubspot, salesforce = platforms.hubspot, platforms.salesforce
    quarantined = _query(flow, UNDECLARED_QUARANTINED)[0][0]
    (platforms.imports_folder / f"{sandbox_imports.UNDECLARED}.xlsx.yml").write_text(
        "lawful_basis: legitimate_interest\nsource: Partner list Q4 (co-marketing agreement)\n"
    )
    emails_by_id = {contact["id"]: email for email, contact in hubspot.contacts.items()}
    member = min(hubspot.list_named(NURTURE_LIST_NAME) & emails_by_id.keys())
    hubspot.unsubscribe(emails_by_id[member])
    hubspot.work_leads()  # after the opt-out: sales' work is each contact's latest change
    synced = sorted(c["properties"]["leadpipe_lead_id"] for c in hubspot.contacts.values())
    salesforce.add_worked_leads(synced[:25])  # sales also works them in Salesforce, later
    caller, phone = next(
        (lead_id, lead["Phone"])
        for lead_id, lead in sorted(salesforce.upserted.items())
        if lead.get("Phone")
    )
    salesforce.opt_out(caller, email=False, call=True)  # a Lead sales works, if not yet
    worked_in_salesforce = {lead["Leadpipe_Lead_Id__c"] for lead in salesforce.leads} - {None}
    return {
        "run": run_pipeline(),
        "quarantined_before": quarantined,
        "worked": set(synced) | worked_in_salesforce,  # the run may add and remove contacts
        "worked_in_salesforce": worked_in_salesforce,
        "unsubscribed": (member, emails_by_id[member]),
        "phone_not_to_call": phone,
    }


def test_the_second_pass_runs_clean(second_pass):
    run = second_pass["run"]
    assert run.ok, run.failure or run.blocked or run.source_failures


def test_an_undeclared_import_is_quarantined_whole_and_flows_once_declared(flow, second_pass):
    undeclared = flow["data"].records("imports")[sandbox_imports.UNDECLARED]
    assert second_pass["quarantined_before"] == len(undeclared)
    assert _query(flow, UNDECLARED_QUARANTINED) == [(0,)]
    landed = _query(
        flow, "select count(*) from marts.lead_crosswalk where source = 'imports/partenaires-q4'"
    )
    assert landed[0][0] > 0


def test_spend_and_crm_outcomes_reach_the_kpis(flow, second_pass):
    salesforce = flow["platforms"].salesforce
    from_salesforce = _query(
        flow,
        "select count(*), count(*) filter (where is_converted) from marts.fct_lead_outcomes "
        "where last_updated_in = 'salesforce'",
    )[0]
    converted = sum(lead["IsConverted"] for lead in salesforce.leads)
    assert from_salesforce[0] == len(second_pass["worked_in_salesforce"]) >= 25
    assert from_salesforce[1] >= converted > 0
    outcomes = {
        lead_id: first_activity
        for lead_id, first_activity in _query(
            flow, "select lead_id, first_sales_activity_at from marts.fct_lead_outcomes"
        )
    }
    worked = second_pass["worked"]  # a contact deleted from the CRM keeps its last outcome
    assert worked and {lead for lead, at in outcomes.items() if at} == worked
    served = {
        "meta_lead_ads": ("meta_ad_insights", "spend"),
        "linkedin_lead_sync": ("linkedin_ad_analytics", "costInLocalCurrency"),
    }
    for platform, (records, amount) in served.items():
        spend, with_cost_per_lead = _query(
            flow,
            "select sum(spend), count(cost_per_lead) from marts.kpi_channel_daily "
            f"where platform = '{platform}'",
        )[0]
        rows = [row for rows in flow["data"].records(records).values() for row in rows]
        assert float(spend) == pytest.approx(sum(float(row[amount]) for row in rows))
        assert with_cost_per_lead > 0
    kpis = _query(
        flow,
        "select sum(converted_persons), count(conversion_rate), count(cost_per_lead) "
        "from marts.kpi_channel_daily",
    )[0]
    assert all(value > 0 for value in kpis)


def test_crm_opt_outs_withdraw_consent_and_take_the_person_off_the_list(flow, second_pass):
    """An unsubscribe in HubSpot and a Do Not Call in Salesforce come back through the CRM
    pulls: withdrawals in the ledger, and the person leaves the nurture list on the next run."""
    member, email = second_pass["unsubscribed"]
    phone = second_pass["phone_not_to_call"]
    assert member not in flow["platforms"].hubspot.list_named(NURTURE_LIST_NAME)
    email_key = _query(
        flow, f"select email_match_key from marts.dim_leads where lower(email) = '{email}'"
    )[0][0]
    current = """
        select capture_platform, status from marts.consent_current
        where identifier = ? and purpose = ? and channel = ?
    """
    con = duckdb.connect(str(flow["warehouse"]), read_only=True)
    try:
        assert con.execute(current, [email_key, "email_marketing", "email"]).fetchall() == [
            ("hubspot_crm", "denied")
        ]
        assert con.execute(current, [phone, "sales_contact", "phone"]).fetchall() == [
            ("salesforce_crm", "denied")
        ]
        ledger = con.execute(
            "select capture_platform, identifier_hash, status, lawful_basis "
            "from marts.consent_ledger where capture_platform like '%_crm' order by 1"
        ).fetchall()
        still_marketable = con.execute(
            "select count(*) from marts.segment_memberships join marts.dim_leads using (lead_id) "
            "where segment = 'warm_leads_nurture' and is_marketable and email_match_key = ?",
            [email_key],
        ).fetchall()[0][0]
    finally:
        con.close()
    assert ledger == [
        ("hubspot_crm", keyed_hash(email_key), "withdrawn", "consent"),
        ("salesforce_crm", keyed_hash(phone), "withdrawn", "consent"),
    ]
    assert still_marketable == 0


def _rebuild_leads_with_segments(flow, tmp_path, segments):
    config = flow["platforms"].config().model_copy(update={"segments": segments, "syncs": {}})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CONFIG_ENV, str(write_config(config, tmp_path / "leadpipe.yml")))
        return run_pipeline(stages=[STAGES[3]])


def test_segments_come_from_the_configuration_and_a_bad_filter_names_its_fault(flow, tmp_path):
    segments = {
        "b2b_deciders": SegmentConfig(
            filter="customer_type = 'b2b' and seniority in ('executive', 'director')",
            purpose="email_marketing",
        )
    }
    run = _rebuild_leads_with_segments(flow, tmp_path, segments)
    assert run.ok, run.failure
    rows = _query(
        flow,
        "select segment, purpose, count(*), count(*) filter (where is_marketable) "
        "from marts.segment_memberships group by all",
    )
    expected = _query(
        flow,
        "select count(*), count(*) filter (where consent_email_marketing = 'granted') "
        "from marts.dim_leads "
        "where customer_type = 'b2b' and seniority in ('executive', 'director')",
    )[0]
    assert rows == [("b2b_deciders", "email_marketing", *expected)]
    assert expected[0] > expected[1] > 0
    segments["b2b_deciders"].filter = "tierr = 'hot'"
    broken = _rebuild_leads_with_segments(flow, tmp_path, segments)
    assert "segment_memberships" in broken.failure and "tierr" in broken.failure


def test_a_paid_provider_fills_only_gaps_and_is_named_as_their_source(flow, tmp_path):
    standin = flow["platforms"].people_data_labs
    config = flow["platforms"].config()
    config.enrichment.providers["people_data_labs"] = ProviderConfig(base_url=standin.base_url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CONFIG_ENV, str(write_config(config, tmp_path / "leadpipe.yml")))
        run = run_pipeline(stages=STAGES[2:4])
    assert run.ok, run.failure
    assert run.metadata["ops/enrichment_provider_values"]["new_values"] == len(standin.asked) > 0
    filled, overwritten = _query(
        flow,
        """
        with records as (
            select crosswalk.lead_id, contacts.company, contacts.job_title, contacts.country_code
            from intermediate.int_contacts_enriched as contacts
            join marts.lead_crosswalk as crosswalk using (source_record_key)
        ),
        given as (
            select distinct lead_id, attribute
            from records unpivot (value for attribute in (company, job_title, country_code))
        )
        select count(*), count(given.lead_id)
        from marts.lead_attribute_sources as sources
        left join given using (lead_id, attribute)
        where sources.platform = 'people_data_labs'
        """,
    )[0]
    assert filled > 0 and overwritten == 0
    provided_titles = _query(
        flow,
        """
        select count(*), count(leads.seniority)
        from marts.lead_attribute_sources as sources
        join marts.dim_leads as leads using (lead_id)
        where sources.platform = 'people_data_labs' and sources.attribute = 'job_title'
        """,
    )[0]
    assert provided_titles[0] == provided_titles[1]


def test_the_dbt_unit_tests_pass_on_the_built_warehouse(flow, tmp_path, monkeypatch):
    """The daily build skips them (they check logic on fixtures, not data): the suite runs them."""
    monkeypatch.setenv(WAREHOUSE_ENV, str(flow["warehouse"]))
    invocation = dbt_cli().cli(["test", "--select", "test_type:unit"], target_path=tmp_path)
    assert invocation.is_successful()
    results = invocation.get_artifact("run_results.json")["results"]
    assert len(results) >= 6 and all(r["status"] == "pass" for r in results)
