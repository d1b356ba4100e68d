import pandas as pd

from expectations.runner import validate


def _rows(**overrides):
    row = {
        "lead_id": "ld_1",
        "email": "helene.dupont@acme-industrie.fr",
        "consent_sales_contact": "granted",
        "consent_sales_contact_at": pd.Timestamp("2026-11-01", tz="UTC"),
        "consent_sales_contact_source": "typeform",
        "source_platform": "typeform",
        "channel": "web_form",
    }
    return pd.DataFrame([row, {**row, "lead_id": "ld_2", "email": "b@acme.fr", **overrides}])


def test_passes_on_consented_rows():
    result = validate(_rows(), "crm_outgoing")
    assert result.success, result.describe()


def test_fails_on_a_non_consented_row_and_says_which_rule_on_how_many_rows():
    result = validate(_rows(consent_sales_contact="denied"), "crm_outgoing")
    assert not result.success
    assert result.describe() == (
        "crm_outgoing: 'sales-contact consent granted' failed on 1 of 2 rows"
    )


def test_fails_on_missing_consent_timestamp_or_source():
    result = validate(
        _rows(consent_sales_contact_at=None, consent_sales_contact_source=None), "crm_outgoing"
    )
    assert {r.rule for r in result.failures} == {
        "consent timestamp present",
        "consent source present",
    }


def test_fails_on_unknown_source_channel_and_bad_email():
    result = validate(
        _rows(source_platform="fax", channel=None, email="not an email"), "crm_outgoing"
    )
    assert {r.rule for r in result.failures} == {
        "source platform accepted",
        "channel present",
        "email valid",
    }


def test_fails_on_a_person_twice():
    result = validate(_rows(lead_id="ld_1"), "crm_outgoing")
    assert [r.rule for r in result.failures] == ["one row per person"]
