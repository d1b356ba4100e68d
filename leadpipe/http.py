"""One HTTP session for every connector and destination: retries, backoff, Retry-After, auth."""

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from leadpipe.errors import AuthError, PlatformError
from leadpipe.redaction import redact

RETRYABLE_STATUSES = (429, 500, 502, 503, 504)
USER_AGENT = "leadpipe/0.1 (+https://github.com/leadpipe/leadpipe)"


def build_session(bearer_token: str | None = None, total_retries: int = 6) -> requests.Session:
    """A session that retries 429 and 5xx with exponential backoff, honouring Retry-After."""
    retry = Retry(
        total=total_retries,
        connect=3,
        read=3,
        status=total_retries,
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
