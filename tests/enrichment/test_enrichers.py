import pytest

from enrichment import cache
from enrichment.emails import COLUMNS as EMAIL_COLUMNS
from enrichment.emails import enrich_email
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


def test_cache_enriches_each_distinct_value_once(con):
    con.execute("create schema intermediate")
    con.execute(
        "create table intermediate.int_contacts_unioned as select * from (values "
        "('a@acme.fr', '0612345678', 'FR'), ('a@acme.fr', '0612345678', 'FR'), "
        "('b@acme.fr', null, 'FR')) t(email_raw, phone_raw, phone_region)"
    )
    assert cache.refresh_emails(con) == 2
    assert cache.refresh_phones(con) == 1
    assert cache.refresh_emails(con) == 0 and cache.refresh_phones(con) == 0
    con.execute("insert into intermediate.int_contacts_unioned values ('c@acme.fr', null, 'FR')")
    assert cache.refresh_emails(con) == 1
