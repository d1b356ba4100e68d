"""One HTTP session for every connector and destination: retries, backoff, Retry-After, auth."""

import logging
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from leadpipe.errors import AuthError, PlatformError
from leadpipe.redaction import redact

RETRYABLE_STATUSES = (429, 500, 502, 503, 504)
TOTAL_RETRIES = 6
USER_AGENT = "leadpipe/0.1 (+https://github.com/leadpipe/leadpipe)"
# urllib3 logs each retry with the request's path, and a webhook URL's path is its secret (Slack):
# the retries stay, the lines go; a request that still fails is reported by leadpipe, redacted.
logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)


def build_session(bearer_token: str | None = None) -> requests.Session:
    """A session that retries 429 and 5xx with exponential backoff, honouring Retry-After."""
    retry = Retry(
        total=TOTAL_RETRIES,
        connect=3,
        read=3,
        status=TOTAL_RETRIES,
        backoff_factor=0.5,
        backoff_max=60,
        status_forcelist=RETRYABLE_STATUSES,
        allowed_methods=None,  # our POSTs are idempotent upserts
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=4)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    if bearer_token:
        session.headers["Authorization"] = f"Bearer {bearer_token}"
    return session


def raise_for_platform(
    response: requests.Response, platform: str, token_setting: str, auth_failed: bool = False
) -> None:
    """Turn an error response into one message: auth failures name the setting to fix."""
    if auth_failed or response.status_code in (401, 403):
        raise AuthError(
            f"{platform} refused the credentials (HTTP {response.status_code}): "
            f"set {token_setting} to a valid token."
        )
    if response.status_code >= 400:
        raise PlatformError(
            f"{platform} answered HTTP {response.status_code} for {response.request.method} "
            f"{response.url.split('?')[0]}: {redact(response.text[:300])}"
        )


@contextmanager
def reachable(setting: str, base_url: str | None = None) -> Iterator[None]:
    """A connection that fails (refused, unknown host, timed out) becomes one message naming
    where leadpipe tried and the setting to check, never a traceback."""
    try:
        yield
    except (requests.ConnectionError, requests.Timeout) as error:
        if base_url is None:  # the origin only: a webhook URL's path can hold its secret
            url = urlsplit(error.request.url if error.request is not None else "")
            base_url = f"{url.scheme}://{url.netloc}" if url.netloc else "the platform"
        raise PlatformError(f"Cannot reach {base_url}: check {setting} and the network.") from None


class RequestSpacer:
    """Spaces requests evenly to stay under a fixed per-minute limit (Tally, GoToWebinar)."""

    def __init__(self, per_minute: float):
        self.interval = 60 / per_minute
        self._last = 0.0

    def wait(self) -> None:
        delay = self._last + self.interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._last = time.monotonic()


class RollingWindowPacer:
    """Keeps requests under a rolling-window limit that the platform announces in headers.

    `record` learns the limit and window from each response (e.g. HubSpot's
    X-HubSpot-RateLimit-Max and -Interval-Milliseconds); `wait` sleeps just long enough that the
    next request stays `headroom` below the limit, so a sync runs at the limit without 429s.
    """

    def __init__(self, max_header: str, interval_ms_header: str, headroom: int = 2):
        self.max_header = max_header
        self.interval_ms_header = interval_ms_header
        self.headroom = headroom
        self.limit: int | None = None
        self.window: float | None = None
        self._sent: deque[float] = deque()

    def wait(self) -> None:
        if self.limit is None or self.window is None:
            return
        allowed = max(1, self.limit - self.headroom)
        now = time.monotonic()
        while self._sent and now - self._sent[0] >= self.window:
            self._sent.popleft()
        if len(self._sent) >= allowed:
            time.sleep(self._sent[len(self._sent) - allowed] + self.window - now + 0.05)

    def record(self, response: requests.Response) -> None:
        self._sent.append(time.monotonic())
        limit = response.headers.get(self.max_header)
        interval = response.headers.get(self.interval_ms_header)
        if limit and interval:
            self.limit, self.window = int(limit), int(interval) / 1000
