"""Records of each stream kept sorted by capture time, for stand-ins that page and filter."""

import bisect
from collections.abc import Callable


class TimeIndex:
    """`ordered(stream)` -> (sort keys, records) oldest first; rebuilt when records are added."""

    def __init__(self, streams: dict[str, list[dict]], key: Callable[[dict], tuple]):
        self.streams = streams
        self.key = key
        self._cache: dict[str, tuple[list[tuple], list[dict]]] = {}

    def ordered(self, stream: str) -> tuple[list[tuple], list[dict]]:
        records = self.streams.get(stream, [])
        cached = self._cache.get(stream)
        if cached is None or len(cached[1]) != len(records):
            pairs = sorted(((self.key(r), i) for i, r in enumerate(records)))
            cached = ([k for k, _ in pairs], [records[i] for _, i in pairs])
            self._cache[stream] = cached
        return cached

    def between(self, stream: str, low: tuple | None, high: tuple | None) -> list[dict]:
        """Records with low <= key < high, oldest first."""
        keys, records = self.ordered(stream)
        first = 0 if low is None else bisect.bisect_left(keys, low)
        last = len(keys) if high is None else bisect.bisect_left(keys, high)
        return records[first:last]
