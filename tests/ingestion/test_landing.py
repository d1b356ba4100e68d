import pytest

from ingestion.landing import land_stream
from ingestion.state import read_cursor


def _pages(fail_after: int | None = None):
    for page in range(3):
        if fail_after is not None and page == fail_after:
            raise ConnectionError("network dropped mid-run")
        yield [{"id": f"r{page}-{i}", "at": f"2026-01-0{page + 1}"} for i in range(5)]


def _land(con, pages, run_id="run-1"):
    return land_stream(
        con,
        "test_stream",
        "test/form",
        "test.stream",
        pages,
        record_id=lambda r: r["id"],
        cursor_of=lambda r: r["at"],
        run_id=run_id,
    )


def test_cursor_advances_with_the_data(con):
    stats = _land(con, _pages())
    assert stats.pulled == 15
    assert read_cursor(con, "test.stream") == "2026-01-03"


def test_a_failed_run_leaves_no_half_state(con):
    _land(con, _pages())
    con.execute("delete from raw.test_stream")
    con.execute("delete from ops.ingestion_cursors")
    with pytest.raises(ConnectionError):
        _land(con, _pages(fail_after=2), run_id="run-2")
    assert con.execute("select count(*) from raw.test_stream").fetchone()[0] == 0
    assert read_cursor(con, "test.stream") is None
    assert con.execute("select count(*) from landing.test_stream").fetchone()[0] == 0


def test_what_a_killed_pull_staged_is_cleared_not_landed(con):
    _land(con, iter([[{"id": "a", "at": "1"}]]))
    con.execute(  # a process killed mid-pull leaves its staged rows behind
        "insert into landing.test_stream values ('test/form', 'ghost', '{}', 0)"
    )
    _land(con, iter([[{"id": "b", "at": "2"}]]), run_id="run-2")
    landed = con.execute("select _record_id from raw.test_stream order by 1").fetchall()
    assert landed == [("a",), ("b",)]
    assert con.execute("select count(*) from landing.test_stream").fetchone()[0] == 0


def test_cursor_never_moves_backwards(con):
    _land(con, _pages())
    _land(con, iter([[{"id": "late", "at": "2025-12-31"}]]), run_id="run-2")
    assert read_cursor(con, "test.stream") == "2026-01-03"
    assert con.execute("select count(*) from raw.test_stream").fetchone()[0] == 16


def test_same_record_twice_in_a_page_lands_once(con):
    _land(con, iter([[{"id": "a", "at": "1", "v": 1}, {"id": "a", "at": "1", "v": 2}]]))
    rows = con.execute("select payload ->> 'v' from raw.test_stream").fetchall()
    assert rows == [("2",)]


def test_the_last_delivery_wins_across_staged_batches(con, monkeypatch):
    monkeypatch.setattr("ingestion.landing.LANDING_BATCH", 2)
    pages = [[{"id": "a", "at": "1", "v": i}, {"id": f"x{i}", "at": "1"}] for i in range(4)]
    _land(con, iter(pages))
    rows = con.execute("select payload ->> 'v' from raw.test_stream where _record_id = 'a'")
    assert rows.fetchall() == [("3",)]
    assert con.execute("select count(*) from raw.test_stream").fetchone()[0] == 5
