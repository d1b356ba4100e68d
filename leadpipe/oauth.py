"""OAuth access tokens that renew themselves before they expire (Zoom, Google Ads, GoToWebinar,
Salesforce)."""

import threading
import time
from collections.abc import Callable

import requests

from leadpipe.errors import AuthError
from leadpipe.http import build_session

RENEW_MARGIN = 0.1  # renew when less than a tenth of the token's life (at most 5 minutes) is left


class RenewingToken(requests.auth.AuthBase):
    """Bearer auth whose token comes from `fetch()` -> (access token, lifetime in seconds)."""

    def __init__(self, fetch: Callable[[], tuple[str, float]]):
        self._fetch = fetch
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = threading.Lock()
        self.renewals = 0

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                self._token, lifetime = self._fetch()
                self._renew_at = time.monotonic() + lifetime - min(300, lifetime * RENEW_MARGIN)
                self.renewals += 1
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def expire(self) -> None:
        """Fetch a new token on the next request (the platform ended this one early)."""
        with self._lock:
            self._renew_at = 0.0


def token_grant(
    session: requests.Session, url: str, platform: str, settings: str, **request
) -> tuple[str, float]:
    """POST a token request; a refusal names the settings to fix."""
    response = session.post(url, timeout=30, **request)
    if response.status_code in (400, 401, 403):
        raise AuthError(
            f"{platform} refused the OAuth credentials (HTTP {response.status_code}): "
            f"check {settings}."
        )
    response.raise_for_status()
    body = response.json()
    return body["access_token"], float(body.get("expires_in", 3600))


def renewing_session(token_url: str, platform: str, settings: str, **grant) -> requests.Session:
    """A retrying session whose bearer token comes from `token_url` and renews itself."""
    grants = build_session()
    session = build_session()
    session.auth = RenewingToken(
        lambda: token_grant(grants, token_url, platform, settings, **grant)
    )
    return session
