"""Form answers read through the field mapping, on shapes the generator did not design: a question
the form's owner added and nobody mapped, a response left unfinished, placeholders typed for
"nothing", an imported list declared inbound."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import duckdb
import pytest
import yaml

from leadpipe.config import CONFIG_ENV, SegmentConfig, write_config
from leadpipe.settings import WAREHOUSE_ENV
from orchestration import cli
from orchestration.pipeline import STAGES, run_pipeline
from sandbox.channels import imports
from sandbox.generator import Generator
from sandbox.platforms import serve

pytestmark = pytest.mark.pipeline_runs(1)

NOW = datetime(2026, 11, 20, tzinfo=UTC)
FORM = "contactUs"
ADDED = "optin_offres_partenaires"  # a consent checkbox the owner added after the mapping
SMS = "ok_sms"
SEGMENTS = (("hot_leads_sales_contact", "sales_contact"), ("warm_leads_nurture", "email_marketing"))
NO_CONSENT_STAGES = [stage for stage in STAGES if stage[0] not in ("activate", "compact")]


def _answer(ref: str, kind: str, **value) -> dict:
    return {"field": {"id": f"id_{ref}", "ref": ref, "type": kind}, "type": kind, **value}


def _response(token: str, data, email: str, consent: bool, submitted: bool, **extra) -> dict:
    name = lambda field: data.questions.name("typeform", FORM, field)  # noqa: E731
    at = (NOW - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = {
        "token": token,
        "response_id": token,
        "landed_at": at,
        "metadata": {"referer": "https://www.example-landing.fr/contact"},
        "hidden": {},
        "answers": [
            _answer(name("first_name"), "short_text", text="Inès"),
            _answer("adresse_mail_pro", "email", email=email),
            _answer(name("consent:sales_contact"), "yes_no", boolean=consent),
            *extra.get("answers", []),
        ],
    }
    if submitted:
        response["submitted_at"] = at
    return response


def _inbound_import(folder) -> None:
    row = dict.fromkeys(imports.HEADERS, "")
    row |= {"Prénom": "Yves", "Nom": "Marchand", "E-mail": "yves.marchand@salon-inbound.fr"}
    row |= {"Société": "N/A", "Fonction": "-", "Date": "2026-11-19 10:00:00"}
    with (folder / "stand-visitors.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, imports.HEADERS)
        writer.writeheader()
        writer.writerow(row)
    declaration = {**imports.DECLARATION, "direction": "inbound", "source": "Stand visitors"}
    (folder / "stand-visitors.csv.yml").write_text(yaml.safe_dump(declaration))


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    folder = tmp_path_factory.mktemp("form-answers")
    data = Generator(seed=11, now=NOW).generate(40)
    added = _answer(ADDED, "yes_no", boolean=True)
    sms = _answer(SMS, "yes_no", boolean=True)
    budget = _answer("budget annuel ", "dropdown", choice={"label": "10-50 k€"})
    phone = _answer("portable", "phone_number", phone_number="+33 6 12 34 56 78")
    data.typeform_responses[FORM] += [
        _response("tok-added", data, "ines.added@forms-test.fr", True, True, answers=[added]),
        _response("tok-partial", data, "ines.partial@forms-test.fr", True, False),
        _response("tok-refused", data, "ines.refused@forms-test.fr", False, True),
        _response(
            "tok-sms", data, "ines.sms@forms-test.fr", True, True, answers=[sms, phone, budget]
        ),
    ]
    with pytest.MonkeyPatch.context() as env, serve(data, hubspot_requests_per_10s=None) as p:
        for name, value in p.environment().items():
            env.setenv(name, value)
        _inbound_import(p.imports_folder)
        config = p.config()  # a team that also asks for SMS marketing, on one of its forms
        config.consent_purposes = ["email_marketing", "sales_contact", "sms"]
        config.sources["typeform"].fields[FORM][SMS] = "consent:sms"
        config.sources["typeform"].fields[FORM]["Budget annuel"] = "attribute:budget"
        config.segments = {
            "hot_by_sms": SegmentConfig(filter="tier = 'hot'", purpose="sms"),
            **{name: SegmentConfig(filter="true", purpose=purpose) for name, purpose in SEGMENTS},
        }
        env.setenv(CONFIG_ENV, str(write_config(config, folder / "leadpipe.yml")))
        env.setenv(WAREHOUSE_ENV, str(folder / "warehouse.duckdb"))
        run = run_pipeline(stages=NO_CONSENT_STAGES)
        yield {"run": run, "warehouse": folder / "warehouse.duckdb"}


def _query(flow, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(flow["warehouse"]), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _consents(flow, email: str) -> list[tuple]:
    return _query(
        flow,
        "select events.purpose, events.status from intermediate.int_consent_events as events "
        "join intermediate.int_contacts_enriched as contacts using (source_record_key) "
        "where contacts.email = ? order by 1",
        [email],
    )


def test_every_sandbox_question_is_mapped_and_the_added_one_is_reported(flow):
    assert flow["run"].ok, flow["run"].failure
    unmapped = _query(
        flow,
        "select platform, form_id, question, kind, answers, looks_like_consent "
        "from marts.unmapped_form_questions",
    )
    assert unmapped == [("typeform", FORM, ADDED, "yes_no", 1, True)]


def test_an_unmapped_consent_gives_nothing_and_its_answer_stays_in_raw(flow):
    assert _consents(flow, "ines.added@forms-test.fr") == [("sales_contact", "granted")]
    (payload,) = _query(
        flow, "select payload from raw.typeform_responses where _record_id = 'tok-added'"
    )[0]
    refs = [answer["field"]["ref"] for answer in json.loads(payload)["answers"]]
    assert ADDED in refs


def test_a_refusal_is_a_denial_and_an_unfinished_response_gives_no_consent(flow):
    assert _consents(flow, "ines.refused@forms-test.fr") == [("sales_contact", "denied")]
    assert _consents(flow, "ines.partial@forms-test.fr") == []
    landed = _query(
        flow,
        "select first_name from intermediate.int_contacts_enriched "
        "where email = 'ines.partial@forms-test.fr'",
    )
    assert landed == [("Inès",)], "the unfinished response's contact details still land"


def test_placeholders_are_empty_profile_fields_and_the_declared_direction_holds(flow):
    contact = _query(
        flow,
        "select company, job_title, direction, touchpoint_type "
        "from intermediate.int_contacts_enriched where email = 'yves.marchand@salon-inbound.fr'",
    )
    assert contact == [(None, None, "inbound", "list_import")]
    (payload,) = _query(
        flow, "select payload from raw.import_rows where _source = 'imports/stand-visitors'"
    )[0]
    assert json.loads(payload)["Société"] == "N/A", "raw keeps what was typed"


def test_the_run_summary_names_the_form_the_question_and_the_fix(flow, monkeypatch):
    printed = io.StringIO()
    monkeypatch.setattr(cli.err, "file", printed)
    monkeypatch.setattr(cli.console, "file", io.StringIO())
    cli._print_summary(flow["run"], flow["warehouse"])
    warning = " ".join(printed.getvalue().split())
    assert f"typeform form {FORM} asks '{ADDED}' (yes_no)" in warning
    assert f'sources.typeform.fields.{FORM} in leadpipe.yml: "{ADDED}": consent:<purpose>' in (
        warning
    )
    assert "Traceback" not in warning


def test_a_purpose_the_team_adds_is_asked_given_and_marketable(flow):
    events = _query(
        flow,
        "select events.identifier_type, events.status from intermediate.int_consent_events "
        "as events join intermediate.int_contacts_enriched as contacts using "
        "(source_record_key) where contacts.email = 'ines.sms@forms-test.fr' "
        "and events.purpose = 'sms' order by 1",
    )
    assert events == [("email", "granted"), ("phone", "granted")]
    marketable = _query(
        flow,
        "select is_marketable_for_sms from marts.dim_leads where email = 'ines.sms@forms-test.fr'",
    )
    assert marketable == [(True,)]
    purposes = _query(flow, "select distinct purpose from marts.segment_memberships order by 1")
    assert ("sms",) in purposes


def test_a_custom_question_is_kept_by_name_on_the_lead(flow):
    attributes = _query(
        flow, "select attributes from marts.dim_leads where email = 'ines.sms@forms-test.fr'"
    )
    assert attributes == [({"budget": "10-50 k€"},)]
