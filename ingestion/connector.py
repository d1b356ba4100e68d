"""What every source connector shares: the pull window, streaming landing, the cursor.

A connector knows one platform: how to page through one stream (a form, an ad account, a
webinar) for a capture-time window, how to identify a record and when it was captured. `pull`
does the rest the same way for every platform: the incremental window from the cursor minus the
lookback (or an explicit backfill window), pages streamed to `raw.<table>` in one transaction,
and the cursor advanced only with the data it covers.
"""

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import duckdb
import requests

from ingestion.landing import LandingStats, land_stream
from ingestion.state import read_cursor
from leadpipe.errors import ConfigError
from leadpipe.http import RequestSpacer, build_session, raise_for_platform

CURSOR_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Window:
    """The capture times a pull asks for: from `start` (inclusive) to `end` (exclusive)."""

    start: datetime | None = None
    end: datetime | None = None

    @property
    def is_backfill(self) -> bool:
        return self.end is not None

    def contains(self, at: datetime) -> bool:
        return (self.start is None or at >= self.start) and (self.end is None or at < self.end)


def instant(value: str | int | float) -> datetime:
    """An aware UTC datetime from ISO text (any offset, `Z`) or unix seconds."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":  # +0000 → +00:00
        text = f"{text[:-2]}:{text[-2:]}"
    parsed = datetime.fromisoformat(text)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def from_millis(value: int | str) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, UTC)


class Connector(ABC):
    """One platform's API as a source of raw records."""

    platform: ClassVar[str]  # also the `_source` prefix and the cursor's stream prefix
    label: ClassVar[str]  # how messages name the platform
    raw_table: ClassVar[str]
    token_setting: ClassVar[str]
    default_url: ClassVar[str]
    page_size: ClassVar[int]
    streams_key: ClassVar[str] = "forms"  # which list of leadpipe.yml names its streams
    config_key: ClassVar[str | None] = None  # its section of leadpipe.yml, when not `platform`
    related_tables: ClassVar[tuple[str, ...]] = ()  # raw tables `land_related` fills
    optional_streams: ClassVar[bool] = False  # an enabled source may list none (ad spend)
    fixed_streams: ClassVar[tuple[str, ...]] = ()  # streams that need no configuration
    requests_per_minute: ClassVar[float | None] = None  # a fixed limit to space requests under

    def __init__(
        self,
        session: requests.Session,
        base_url: str | None = None,
        page_size: int | None = None,
        options: dict[str, str] | None = None,
    ):
        self.session = session
        self.base_url = (base_url or self.default_url).rstrip("/")
        self.page_size = page_size or self.page_size
        self.options = options or {}
        per_minute = self.options.get("requests_per_minute", self.requests_per_minute)
        self._spacer = RequestSpacer(float(per_minute)) if per_minute else None

    @classmethod
    def secret_settings(cls) -> tuple[str, ...]:
        """Environment variables holding this platform's credentials."""
        return (cls.token_setting,)

    @classmethod
    def from_environment(
        cls,
        base_url: str | None = None,
        page_size: int | None = None,
        options: dict[str, str] | None = None,
    ) -> "Connector":
        """A connector authenticated with the credentials in the environment."""
        return cls(build_session(secret(cls.token_setting)), base_url, page_size, options)

    @abstractmethod
    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        """Pages of one stream's records captured in the window (more is harmless)."""

    @abstractmethod
    def record_id(self, record: dict) -> str:
        """The platform's id of a record, unique within its stream."""

    @abstractmethod
    def captured_at(self, record: dict) -> datetime | None:
        """When the lead was captured, or None when the record does not say."""

    @classmethod
    def section(cls) -> str:
        """Its key under `sources:` in leadpipe.yml."""
        return cls.config_key or cls.platform

    def land_related(self, con: duckdb.DuckDBPyConnection, run_id: str, at: datetime) -> None:
        """Land what the pulled records refer to (e.g. form definitions), in their transaction.
        Most platforms have nothing to add."""
        return None

    def in_window(self, records: list[dict], window: Window) -> list[dict]:
        """The records captured in the window, for platforms that cannot filter by time."""
        return [r for r in records if (at := self.captured_at(r)) is None or window.contains(at)]

    def raise_for_status(self, response: requests.Response) -> None:
        """Turn an error answer into one message; connectors add their platform's codes."""
        if not response.ok:
            raise_for_platform(response, self.label, self.token_setting)

    def send(self, method: str, url: str, timeout: float = 60, **kwargs) -> requests.Response:
        """One request, spaced under the platform's fixed limit if it has one (the session
        retries 429 and 5xx); an error answer becomes one clear message."""
        if self._spacer:
            self._spacer.wait()
        response = self.session.request(method, url, timeout=timeout, **kwargs)
        self.raise_for_status(response)
        return response

    def get(self, url: str, params: dict | None = None, **kwargs) -> dict:
        """GET a JSON page."""
        return self.send("GET", url, params=params, **kwargs).json()

    def pull(
        self,
        con: duckdb.DuckDBPyConnection,
        stream_id: str,
        run_id: str,
        lookback: timedelta,
        window: Window | None = None,
    ) -> LandingStats:
        """Land one stream: the backfill window if given, else everything since the cursor
        minus the lookback. A backfill never moves the cursor."""
        stream = f"{self.platform}.{stream_id}"
        if window is None:
            cursor = read_cursor(con, stream)
            window = Window(start=instant(cursor) - lookback if cursor else None)
        return land_stream(
            con,
            table=self.raw_table,
            source=f"{self.platform}/{stream_id}",
            stream=None if window.is_backfill else stream,
            pages=self.pages(stream_id, window),
            record_id=self.record_id,
            cursor_of=self._cursor_of,
            run_id=run_id,
            before_commit=lambda at: self.land_related(con, run_id, at),
        )

    def _cursor_of(self, record: dict) -> str | None:
        at = self.captured_at(record)
        return at.strftime(CURSOR_FORMAT) if at else None


def secret(setting: str) -> str:
    """A credential from the environment, or one message naming the setting."""
    value = os.environ.get(setting)
    if not value:
        raise ConfigError(f"{setting} is not set: put the platform's credential in it.")
    return value
