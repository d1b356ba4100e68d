from datetime import timedelta

import pytest

from ingestion import typeform
from leadpipe.errors import AuthError
from leadpipe.http import build_session
from sandbox.standins.server import server_error, too_many_requests

LOOKBACK = timedelta(hours=1)


def _pull(con, platforms, form_id, run_id="run-1", token=None, page_size=30):
    session = build_session(token or platforms.typeform.token)
    return typeform.pull_form(
        con, session, platforms.typeform.base_url, form_id, run_id, LOOKBACK, page_size=page_size
    )


def _count(con):
    return con.execute("select count(*) from raw.typeform_responses").fetchone()[0]


def test_pages_to_the_end(con, data, platforms):
    form_id, responses = next(iter(data.typeform_responses.items()))
    stats = _pull(con, platforms, form_id)
    assert stats.pulled == len(responses) == _count(con)
    assert stats.pages == -(-len(responses) // 30)


def test_retries_429_and_5xx(con, data, platforms):
    form_id, responses = next(iter(data.typeform_responses.items()))
    platforms.typeform.faults.extend([too_many_requests(1), server_error()])
    assert _pull(con, platforms, form_id).pulled == len(responses)
    assert len(platforms.typeform.faults) == 0


def test_inclusive_since_redelivers_without_duplicating(con, data, platforms):
    form_id, responses = next(iter(data.typeform_responses.items()))
    _pull(con, platforms, form_id)
    again = _pull(con, platforms, form_id, run_id="run-2")
    assert again.pulled >= 1  # the newest response comes back: `since` is inclusive
    assert _count(con) == len(responses)


def test_incremental_run_pulls_only_new_and_lookback(con, data, generator, platforms):
    form_id = next(iter(data.typeform_responses))
    _pull(con, platforms, form_id)
    before = len(data.typeform_responses[form_id])
    generator.add(
        data, 60, start=generator.now + timedelta(hours=2), end=generator.now + timedelta(hours=3)
    )
    new = len(data.typeform_responses[form_id]) - before
    stats = _pull(con, platforms, form_id, run_id="run-2")
    assert new <= stats.pulled < new + 10  # new ones plus the lookback window's few
    assert _count(con) == before + new


def test_wrong_token_names_the_setting(con, data, platforms):
    form_id = next(iter(data.typeform_responses))
    with pytest.raises(AuthError, match="LEADPIPE_TYPEFORM_TOKEN"):
        _pull(con, platforms, form_id, token="nope")
