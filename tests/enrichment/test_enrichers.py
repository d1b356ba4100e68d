import pytest

from enrichment import cache
from enrichment.countries import iso_code
from enrichment.emails import COLUMNS as EMAIL_COLUMNS
from enrichment.emails import enrich_email
from enrichment.job_titles import enrich_job_title
from enrichment.phones import COLUMNS as PHONE_COLUMNS
from enrichment.phones import enrich_phone


def _email(raw):
    return dict(zip(EMAIL_COLUMNS, enrich_email(raw), strict=True))


def _phone(raw, region="FR"):
    return dict(zip(PHONE_COLUMNS, enrich_phone(raw, region), strict=True))


def test_email_keeps_case_but_match_key_is_lowercase():
    row = _email("  Helene.Dupont@ACME-Industrie.fr ")
    assert row["is_valid"]
    assert row["email"] == "Helene.Dupont@acme-industrie.fr"
    assert row["match_key"] == "helene.dupont@acme-industrie.fr"
    assert not row["is_free_mail"] and not row["is_disposable"]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Jean.Dupont+news@GMAIL.com", "jeandupont@gmail.com"),
        ("jean.dupont@googlemail.com", "jeandupont@gmail.com"),
        ("jean.dupont+crm@outlook.com", "jean.dupont@outlook.com"),
        ("jean.dupont+crm@acme-industrie.fr", "jean.dupont+crm@acme-industrie.fr"),
        ("j.dupont@acme-industrie.fr", "j.dupont@acme-industrie.fr"),
    ],
)
def test_provider_rules_apply_only_to_known_consumer_domains(raw, key):
    assert _email(raw)["match_key"] == key


@pytest.mark.parametrize("raw", ["jean@gmail", "jean dupont@acme.fr", "jean.acme.fr"])
def test_invalid_emails_say_why(raw):
    row = _email(raw)
    assert not row["is_valid"] and row["match_key"] is None and row["invalid_reason"]


def test_free_mail_disposable_and_role_addresses():
    assert _email("a.b@gmail.com")["is_free_mail"]
    assert _email("a.b@mailinator.com")["is_disposable"]
    assert _email("contact@acme-industrie.fr")["is_role"]


@pytest.mark.parametrize(
    "raw", ["+33 6 12 34 56 78", "06 12 34 56 78", "0033612345678", "06.12.34.56.78"]
)
def test_french_phone_formats_give_one_e164(raw):
    row = _phone(raw)
    assert row["phone_e164"] == "+33612345678"
    assert row["country_code"] == "FR" and row["line_type"] == "mobile"


def test_national_number_read_in_the_records_country():
    assert _phone("07911 234567", "GB")["phone_e164"] == "+447911234567"
    assert not _phone("12", "FR")["is_valid"]


def test_company_domain_is_the_registrable_domain_of_a_business_address():
    assert _email("j.doe@mail.acme.co.uk")["company_domain"] == "acme.co.uk"
    assert _email("j.doe@acme-industrie.fr")["company_domain"] == "acme-industrie.fr"
    assert _email("j.doe@gmail.com")["company_domain"] is None
    assert _email("j.doe@yopmail.com")["company_domain"] is None


def test_a_national_number_is_read_in_a_country_typed_as_a_name():
    assert _phone("07911 234567", "Royaume-Uni")["phone_e164"] == "+447911234567"
    assert _phone("07911 234567", "United Kingdom")["phone_e164"] == "+447911234567"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("France", "FR"),
        ("fr", "FR"),
        ("FRA", "FR"),
        ("Royaume-Uni", "GB"),
        ("UK", "GB"),
        ("États-Unis", "US"),
        ("Allemagne", "DE"),
        ("Deutschland", "DE"),
        ("  belgique ", "BE"),
        ("Atlantis", None),
    ],
)
def test_country_names_in_english_and_french_give_an_iso_code(typed, code):
    assert iso_code(typed) == code


@pytest.mark.parametrize(
    ("title", "seniority", "department"),
    [
        ("CEO", "executive", "general_management"),
        ("Directeur Général", "executive", "general_management"),
        ("Co-founder & CTO", "executive", "engineering_it"),
        ("VP Sales", "vice_president", "sales"),
        ("Directrice des opérations", "director", "operations"),
        ("Head of Marketing", "director", "marketing"),
        ("DRH", "director", "human_resources"),
        ("Responsable marketing", "manager", "marketing"),
        ("Chef de projet", "manager", "project_management"),
        ("Office Manager", "manager", "operations"),
        ("Data Analyst", "individual_contributor", "engineering_it"),
        ("Chargée de communication", "individual_contributor", "marketing"),
        ("Stagiaire", "student", "other"),
        ("Étudiante en master", "student", "other"),
        ("En recherche d'emploi", "job_seeker", "other"),
    ],
)
def test_job_titles_in_french_and_english_give_seniority_and_department(
    title, seniority, department
):
    assert enrich_job_title(title) == (title, seniority, department)


@pytest.fixture
def intermediate(con):
    """The intermediate schema with the CRM records enrichment also reads: one opted out of
    email and calls, one not (its values are not enriched)."""
    con.execute("create schema intermediate")
    con.execute(
        "create table intermediate.int_crm_contacts_unioned as select * from (values "
        "('optout@acme.fr', '0611111111', 'FR', true, true), "
        "('subscribed@acme.fr', '0622222222', 'FR', false, false)) "
        "t(email_raw, phone_raw, phone_region, email_opted_out, do_not_call)"
    )
    return con


def test_cache_enriches_each_distinct_value_once(intermediate):
    con = intermediate
    con.execute(
        "create table intermediate.int_contacts_unioned as select * from (values "
        "('a@acme.fr', '0612345678', 'FR', 'France', 'CEO'), "
        "('a@acme.fr', '0612345678', 'FR', 'France', 'CEO'), "
        "('b@acme.fr', null, 'FR', 'FR', null)) "
        "t(email_raw, phone_raw, phone_region, country_raw, job_title)"
    )
    counts = [cache.refresh(con, enricher) for enricher in cache.ENRICHERS]
    assert counts == [3, 2, 2, 1]  # and the CRM opt-outs' email and phone, not the others
    opted_out = "select count(*) from ops.enrichment_emails where email_raw = 'optout@acme.fr'"
    assert con.execute(opted_out).fetchone() == (1,)
    assert [cache.refresh(con, enricher) for enricher in cache.ENRICHERS] == [0, 0, 0, 0]
    con.execute(
        "insert into intermediate.int_contacts_unioned values ('c@acme.fr', null, 'FR', null, null)"
    )
    assert cache.refresh(con, cache.EMAILS) == 1


def test_a_cache_of_an_older_shape_is_rebuilt(intermediate):
    con = intermediate
    con.execute("delete from intermediate.int_crm_contacts_unioned")
    con.execute(
        "create table intermediate.int_contacts_unioned as "
        "select 'a@acme.fr' as email_raw, 'CEO' as job_title"
    )
    con.execute("create table ops.enrichment_emails (email_raw varchar primary key, old boolean)")
    con.execute("insert into ops.enrichment_emails values ('a@acme.fr', true)")
    assert cache.refresh(con, cache.EMAILS) == 1
    assert con.execute("select company_domain from ops.enrichment_emails").fetchone() == (
        "acme.fr",
    )


def test_many_new_values_are_enriched_in_worker_processes(intermediate, monkeypatch):
    con = intermediate
    monkeypatch.setattr(cache, "POOL_ABOVE", 10)
    monkeypatch.setattr(cache, "CHUNK", 7)
    con.execute("delete from intermediate.int_crm_contacts_unioned")
    con.execute(
        "create table intermediate.int_contacts_unioned as "
        "select 'p' || i || '@acme.fr' as email_raw from range(30) t(i)"
    )
    assert cache.refresh(con, cache.EMAILS) == 30
    assert con.execute(
        "select count(*) from ops.enrichment_emails where match_key = lower(email_raw)"
    ).fetchone() == (30,)
