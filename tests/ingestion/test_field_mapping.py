"""The field mapping in leadpipe.yml: what a question may map to, and which mapping wins."""

import pytest

from ingestion.field_mapping import STANDARD, USER_FORM, USER_SOURCE, mapping_rows
from leadpipe.config import load_config
from leadpipe.errors import ConfigError


def _config(tmp_path, text: str):
    path = tmp_path / "leadpipe.yml"
    path.write_text(text)
    return load_config(path)


def test_a_form_mapping_outranks_the_source_one_and_the_standard_fields(tmp_path):
    config = _config(
        tmp_path,
        """
consent_purposes: [email_marketing, sales_contact, sms]
sources:
  meta_lead_ads:
    forms: ["11"]
    fields:
      "*": {"Rappel commercial ": consent:sales_contact}
      "11": {company_name: attribute:raison_sociale, opt_sms: consent:sms}
""",
    )
    rows = {
        (row["form_id"], row["question"]): (row["field"], row["priority"])
        for row in mapping_rows(config)
        if row["platform"] == "meta_lead_ads"
    }
    assert rows[("*", "rappel commercial")] == ("consent:sales_contact", USER_SOURCE)
    assert rows[("11", "company_name")] == ("attribute:raison_sociale", USER_FORM)
    assert rows[("*", "company_name")] == ("company", STANDARD)
    assert rows[("11", "opt_sms")] == ("consent:sms", USER_FORM)


@pytest.mark.parametrize(
    ("mapping", "named"),
    [
        ('{"Opt-in": consent:newsletter}', "fields.f1.Opt-in: 'newsletter' is not one of"),
        ('{"Prénom": prenom}', "sources.typeform.fields.f1.Prénom: 'prenom' is not a field"),
        ('{"Notes": "attribute:Bad Name"}', "sources.typeform.fields.f1.Notes"),
    ],
)
def test_a_field_leadpipe_does_not_know_is_one_message_naming_the_key(tmp_path, mapping, named):
    with pytest.raises(ConfigError) as error:
        _config(tmp_path, f"sources:\n  typeform:\n    fields:\n      f1: {mapping}\n")
    assert named in str(error.value)
    assert "consent:<purpose>" in str(error.value) or "consent_purposes" in str(error.value)


def test_a_segment_purpose_must_be_a_configured_one(tmp_path):
    with pytest.raises(ConfigError) as error:
        _config(tmp_path, "segments:\n  sms_blast: {filter: 'true', purpose: sms}\n")
    assert "segments.sms_blast.purpose: 'sms' is not one of consent_purposes" in str(error.value)
