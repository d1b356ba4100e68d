"""Typeform quirks beyond the connector contract: inclusive `since`, partial responses."""

from datetime import timedelta

from ingestion.typeform import Typeform
from leadpipe.http import build_session

LOOKBACK = timedelta(hours=1)


def _pull(con, platforms, form_id, run_id="run-1"):
    connector = Typeform(build_session(platforms.typeform.token), platforms.typeform.base_url, 30)
    return connector.pull(con, form_id, run_id, LOOKBACK)


def _count(con):
    return con.execute("select count(*) from raw.typeform_responses").fetchone()[0]


def test_inclusive_since_redelivers_without_duplicating(con, data, platforms):
    form_id, responses = next(iter(data.typeform_responses.items()))
    _pull(con, platforms, form_id)
    again = _pull(con, platforms, form_id, run_id="run-2")
    assert again.pulled >= 1  # the newest response comes back: `since` is inclusive
    assert _count(con) == len(responses)


def test_partial_responses_land_and_a_completion_replaces_them(con, data, platforms):
    form_id, responses = next(iter(data.typeform_responses.items()))
    partial = next(r for r in responses if "submitted_at" not in r)
    _pull(con, platforms, form_id)
    landed = con.execute(
        "select payload->>'landed_at', payload->>'submitted_at' from raw.typeform_responses "
        "where _record_id = ?",
        [partial["token"]],
    ).fetchone()
    assert landed == (partial["landed_at"], None)
    partial["submitted_at"] = data.now.strftime("%Y-%m-%dT%H:%M:%SZ")  # the person finishes
    _pull(con, platforms, form_id, run_id="run-2")
    submitted = con.execute(
        "select payload->>'submitted_at' from raw.typeform_responses where _record_id = ?",
        [partial["token"]],
    ).fetchone()[0]
    assert submitted == partial["submitted_at"]
    assert _count(con) == len(responses)
