"""Serve generated leads from every stand-in in this process until stdin closes.

`python -m sandbox.serve --records N --seed S` prints one JSON line, the environment that
points leadpipe at the stand-ins, once they are up. Benchmarks run it in a subprocess so the
generated data never counts in the measured process's memory.
"""

import argparse
import json
import sys
from datetime import UTC, datetime

from sandbox.generator import Generator
from sandbox.platforms import serve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    data = Generator(seed=args.seed, now=now).generate(args.records)
    with serve(data, hubspot_requests_per_10s=None) as platforms:
        platforms.tally.limit.limit = 1_000_000  # measure the connector, not Tally's quota
        counts = {p: sum(map(len, data.records(p).values())) for p in _platforms(data)}
        print(json.dumps({"environment": platforms.environment(), "records": counts}), flush=True)
        sys.stdin.read()  # until the parent closes it


def _platforms(data) -> list[str]:
    return ["meta_lead_ads", "typeform", *data.streams]


if __name__ == "__main__":
    main()
