"""Every connector against its stand-in: the behaviour leadpipe promises for all sources."""

from datetime import timedelta

import pytest

from ingestion.connector import Window
from ingestion.state import read_cursor
from leadpipe.errors import AuthError, PlatformError
from sandbox.standins.server import Fault, server_error, too_many_requests
from tests.ingestion.contract import PLATFORMS, Platform

LOOKBACK = timedelta(hours=1)
PAGE_SIZE = 10

pytestmark = [
    pytest.mark.parametrize("platform", PLATFORMS, ids=str),
    pytest.mark.usefixtures("prepared"),
]


@pytest.fixture
def prepared(platforms, platform: Platform) -> None:
    platform.prepare(platforms)


def _pull(con, platforms, platform: Platform, stream, run_id="run-1", token=None, window=None):
    connector = platform.connector(platforms, token, PAGE_SIZE)
    return connector.pull(con, stream, run_id, LOOKBACK, window)


def _landed(con, platform: Platform, platforms) -> set[str]:
    table = platform.connector(platforms, None, PAGE_SIZE).raw_table
    return {row[0] for row in con.execute(f"select _record_id from raw.{table}").fetchall()}


def _ids(platform, platforms, records) -> set[str]:
    connector = platform.connector(platforms, None, PAGE_SIZE)
    return {connector.record_id(record) for record in records}


def _first_stream(platform, data):
    return next((s, r) for s, r in platform.streams(data).items() if len(r) > PAGE_SIZE)


def test_pages_to_the_end_and_lands_every_record(con, data, platforms, platform):
    stream, records = _first_stream(platform, data)
    stats = _pull(con, platforms, platform, stream)
    assert stats.pages > 1
    assert _landed(con, platform, platforms) == _ids(platform, platforms, records)


def test_retries_429_and_5xx_then_lands_everything(con, data, platforms, platform):
    stream, records = _first_stream(platform, data)
    platform.standin(platforms).faults.extend([too_many_requests(1), server_error()])
    _pull(con, platforms, platform, stream)
    assert not platform.standin(platforms).faults
    assert _landed(con, platform, platforms) == _ids(platform, platforms, records)


def test_redelivery_and_rerun_change_nothing(con, data, platforms, platform):
    stream, _ = _first_stream(platform, data)
    _pull(con, platforms, platform, stream, run_id="run-1")
    table = platform.connector(platforms, None, PAGE_SIZE).raw_table
    before = con.execute(f"select * from raw.{table} order by all").fetchall()
    _pull(con, platforms, platform, stream, run_id="run-2")  # incremental re-run
    con.execute("delete from ops.ingestion_cursors")  # the platform sends everything again
    _pull(con, platforms, platform, stream, run_id="run-3")
    assert con.execute(f"select * from raw.{table} order by all").fetchall() == before


def test_incremental_run_pulls_new_and_late_records_only(con, data, generator, platforms, platform):
    stream, _ = _first_stream(platform, data)
    _pull(con, platforms, platform, stream)
    cursor = read_cursor(con, f"{platform.name}.{stream}")
    assert cursor is not None
    served = len(platform.streams(data)[stream])
    data.now = generator.now + timedelta(days=5)  # webinars held since: attendance exists
    channel = (platform.generated_by,)
    late_start = generator.now - LOOKBACK / 2  # captured before the cursor, delivered after it
    generator.add(data, 40, late_start, generator.now - timedelta(minutes=1), channel)
    generator.add(
        data,
        40,
        generator.now + timedelta(hours=2),
        generator.now + timedelta(hours=3),
        channel,
    )
    new = len(platform.streams(data)[stream]) - served
    assert new > 0
    stats = _pull(con, platforms, platform, stream, run_id="run-2")
    assert new <= stats.pulled < new + 20  # the new ones plus the lookback's few
    assert _landed(con, platform, platforms) == _ids(
        platform, platforms, platform.streams(data)[stream]
    )
    assert read_cursor(con, f"{platform.name}.{stream}") > cursor


def test_backfill_lands_only_its_window_and_leaves_the_cursor(
    con, data, generator, platforms, platform
):
    stream, records = _first_stream(platform, data)
    connector = platform.connector(platforms, None, PAGE_SIZE)
    end = generator.now - timedelta(days=10)
    window = Window(end - timedelta(days=10), end)
    expected = {
        connector.record_id(r) for r in records if window.contains(connector.captured_at(r))
    }
    assert expected
    stats = _pull(con, platforms, platform, stream, window=window)
    assert _landed(con, platform, platforms) == expected
    assert stats.pulled >= len(expected)
    assert read_cursor(con, f"{platform.name}.{stream}") is None


def test_a_failure_mid_run_lands_nothing_and_the_next_run_lands_all(con, data, platforms, platform):
    stream, records = _first_stream(platform, data)
    broken = Fault(400, {"message": "Malformed request"})
    platform.standin(platforms).faults.extend([None, broken])  # the second page fails
    with pytest.raises(PlatformError, match="HTTP 400"):
        _pull(con, platforms, platform, stream)
    assert read_cursor(con, f"{platform.name}.{stream}") is None
    assert not _landed(con, platform, platforms)
    _pull(con, platforms, platform, stream, run_id="run-2")
    assert _landed(con, platform, platforms) == _ids(platform, platforms, records)


def test_a_refused_token_names_the_setting(con, data, platforms, platform):
    stream, _ = _first_stream(platform, data)
    connector = platform.connector(platforms, "revoked", PAGE_SIZE)
    with pytest.raises(AuthError, match=connector.token_setting):
        connector.pull(con, stream, "run-1", LOOKBACK)
