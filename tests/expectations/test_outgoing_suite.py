"""The `outgoing` suite every sync runs on the rows it is about to send: each rule fails on a
crafted bad row and names itself."""

import pandas as pd

from expectations.runner import validate


def _rows(**overrides):
    row = {
        "lead_id": "ld_1",
        "email": "helene.dupont@acme-industrie.fr",
        "gate_consent_status": "granted",
        "gate_consent_at": pd.Timestamp("2026-11-01", tz="UTC"),
        "gate_consent_source": "typeform",
        "is_suppressed": False,
        "first_platform": "typeform",
        "first_channel": "web_form",
    }
    return pd.DataFrame([row, {**row, "lead_id": "ld_2", "email": "b@acme.fr", **overrides}])


def test_passes_on_consented_rows():
    result = validate(_rows(), "outgoing")
    assert result.success, result.describe()


def test_fails_on_a_non_consented_row_and_says_which_rule_on_how_many_rows():
    result = validate(_rows(gate_consent_status="denied"), "outgoing")
    assert result.describe() == "outgoing: 'consent granted for the purpose' failed on 1 of 2 rows"


def test_fails_on_missing_consent_timestamp_or_source():
    result = validate(_rows(gate_consent_at=None, gate_consent_source=None), "outgoing")
    assert {r.rule for r in result.failures} == {
        "consent timestamp present",
        "consent source present",
    }


def test_fails_on_a_suppressed_person():
    result = validate(_rows(is_suppressed=True), "outgoing")
    assert [r.rule for r in result.failures] == ["nobody suppressed or erased"]


def test_fails_on_unknown_source_channel_and_bad_email():
    result = validate(
        _rows(first_platform="fax", first_channel=None, email="not an email"), "outgoing"
    )
    assert {r.rule for r in result.failures} == {
        "source platform accepted",
        "channel present",
        "email valid",
    }


def test_fails_on_a_person_twice():
    result = validate(_rows(lead_id="ld_1"), "outgoing")
    assert [r.rule for r in result.failures] == ["one row per person"]
