"""Benchmark of every connector against its stand-in, next to a floor for the same stand-in.

The stand-ins run in a subprocess (`sandbox.serve`), so this process holds only what the
connectors hold: its peak RSS shows whether memory grows with volume. For each connector:

- floor: the plainest loop over the same API — GET each page (the connector's own paging),
  one bulk insert of the raw payloads per page into a bare table;
- leadpipe: `Connector.pull` — staged batches, then one transaction: dedupe, upsert keeping
  first-seen, cursor.
"""

import json
import os
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pyarrow as pa

from ingestion.connector import Window
from ingestion.registry import CONNECTORS
from leadpipe.config import load_config
from leadpipe.warehouse import connect, ensure_schemas


@contextmanager
def served(records: int, seed: int):
    """The stand-ins in a subprocess; yields what they serve per platform."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.serve", "--records", str(records), "--seed", str(seed)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = json.loads(process.stdout.readline())
        saved = dict(os.environ)
        os.environ.update(ready["environment"])
        try:
            yield ready["records"]
        finally:
            os.environ.clear()
            os.environ.update(saved)
    finally:
        process.stdin.close()
        process.wait(timeout=60)


def _floor(connector, con, streams: list[str]) -> int:
    con.execute("create or replace table bench_floor (source varchar, payload json)")
    landed = 0
    for stream in streams:
        for page in connector.pages(stream, Window()):
            if not page:
                continue
            table = pa.table(
                {
                    "source": [stream] * len(page),
                    "payload": [json.dumps(r, separators=(",", ":")) for r in page],
                }
            )
            con.register("_page", table)
            con.execute("insert into bench_floor select source, payload::json from _page")
            con.unregister("_page")
            landed += len(page)
    return landed


def _warm_up(con, config) -> None:
    """One untimed floor pass over the first platform: the first connector measured should
    not pay this process's one-off costs (imports, DuckDB's JSON functions, connections)."""
    cls = next(iter(CONNECTORS.values()))
    source = config.source(cls.section())
    _floor(cls.from_environment(source.base_url, None, source.options), con, source.forms)


def bench_ingestion(records: int, warehouse: Path, seed: int = 42) -> dict:
    """Records per second per connector, leadpipe vs floor, and this process's peak RSS."""
    results = {}
    with served(records, seed) as served_counts:
        config = load_config()
        con = connect(warehouse)
        ensure_schemas(con)
        try:
            _warm_up(con, config)
            for platform, cls in CONNECTORS.items():
                if not served_counts.get(platform):
                    continue  # nothing generated for it (the CRM's contacts come from syncs)
                source = config.source(cls.section())
                streams = list(cls.fixed_streams) or getattr(source, cls.streams_key)
                connector = cls.from_environment(source.base_url, None, source.options)
                for stream in streams:  # the stand-in sorts a stream on its first request
                    next(iter(connector.pages(stream, Window())), None)
                started = time.perf_counter()
                floor_records = _floor(connector, con, streams)
                floor_seconds = time.perf_counter() - started
                started = time.perf_counter()
                pulled = sum(connector.pull(con, s, "bench", timedelta(0)).pulled for s in streams)
                seconds = time.perf_counter() - started
                results[platform] = {
                    "records": pulled,
                    "served": served_counts[platform],
                    "records_per_s": round(pulled / seconds),
                    "floor_records_per_s": round(floor_records / floor_seconds),
                    "share_of_floor": round(
                        (pulled / seconds) / (floor_records / floor_seconds), 2
                    ),
                }
        finally:
            con.close()
    return {
        "records": records,
        "connectors": results,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
