"""GoToWebinar: registrants and session attendees, for the configured webinars.

OAuth with a refresh token (`grant_type=refresh_token`, Basic client credentials): the access
token lives an hour and is fetched again before it expires. At most 10 requests a second, and a
429 comes without Retry-After, so requests are spaced rather than retried into a storm.
Registrants are paged with `page` / `limit` (at most 200; without them the API answers one
unpaged array). Attendance is per session: list the webinar's sessions, then each session's
attendees, skipping sessions that ended before the window. No time filter anywhere: the window
is applied here.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

import requests

from ingestion.connector import Connector, Window, instant, secret
from leadpipe.errors import AuthError, ConfigError
from leadpipe.http import raise_for_platform
from leadpipe.oauth import renewing_session

CLIENT_ID = "LEADPIPE_GOTO_CLIENT_ID"
CLIENT_SECRET = "LEADPIPE_GOTO_CLIENT_SECRET"
REFRESH_TOKEN = "LEADPIPE_GOTO_REFRESH_TOKEN"
TOKEN_URL = "https://authentication.logmeininc.com/oauth/token"
MAX_PAGE_SIZE = 200


class _GoToWebinar(Connector):
    label = "GoToWebinar"
    token_setting = REFRESH_TOKEN
    default_url = "https://api.getgo.com/G2W/rest/v2"
    page_size = MAX_PAGE_SIZE
    streams_key = "webinars"
    config_key = "gotowebinar"
    requests_per_minute = 480  # 10 a second on the platform: keep clear of it
    settings_hint: ClassVar[str] = f"{CLIENT_ID}, {CLIENT_SECRET} and {REFRESH_TOKEN}"

    @classmethod
    def secret_settings(cls) -> tuple[str, ...]:
        return (CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)

    @classmethod
    def from_environment(cls, base_url=None, page_size=None, options=None) -> Connector:
        options = options or {}
        client, client_secret, refresh = (secret(name) for name in cls.secret_settings())
        session = renewing_session(
            options.get("token_url", TOKEN_URL),
            "GoToWebinar",
            cls.settings_hint,
            data={"grant_type": "refresh_token", "refresh_token": refresh},
            auth=(client, client_secret),
        )
        return cls(session, base_url, page_size, options)

    @property
    def webinars_url(self) -> str:
        organizer = self.options.get("organizer_key")
        if not organizer:
            raise ConfigError(
                "sources.gotowebinar.options.organizer_key is not set in leadpipe.yml: put the "
                "organizer key of the account that hosts the webinars (the token response "
                "names it)."
            )
        return f"{self.base_url}/organizers/{organizer}/webinars"

    def raise_for_status(self, response: requests.Response) -> None:
        if response.status_code in (401, 403):
            raise AuthError(
                f"GoToWebinar refused the access token (HTTP {response.status_code}): check "
                f"{self.settings_hint} (an OAuth client with the collab scope)."
            )
        if not response.ok:
            raise_for_platform(response, self.label, REFRESH_TOKEN)


class GoToWebinarRegistrants(_GoToWebinar):
    platform = "gotowebinar_registrants"
    raw_table = "gotowebinar_registrants"

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        url = f"{self.webinars_url}/{stream_id}/registrants"
        limit = min(self.page_size, MAX_PAGE_SIZE)
        page = 0
        while True:
            body = self.get(url, {"page": page, "limit": limit})
            yield self.in_window(body["data"], window)
            if (page + 1) * limit >= body["total"] or not body["data"]:
                return
            page += 1

    def record_id(self, record: dict) -> str:
        return str(record["registrantKey"])

    def captured_at(self, record: dict) -> datetime | None:
        return instant(record["registrationDate"])


class GoToWebinarAttendees(_GoToWebinar):
    platform = "gotowebinar_attendees"
    raw_table = "gotowebinar_attendees"

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        url = f"{self.webinars_url}/{stream_id}/sessions"
        for session in self.get(url):
            if window.start is not None and instant(session["endTime"]) < window.start:
                continue
            if window.end is not None and instant(session["startTime"]) >= window.end:
                continue
            yield self.in_window(self.get(f"{url}/{session['sessionKey']}/attendees"), window)

    def record_id(self, record: dict) -> str:
        return f"{record['sessionKey']}-{record['registrantKey']}"

    def captured_at(self, record: dict) -> datetime | None:
        joins = [instant(stay["joinTime"]) for stay in record.get("attendance") or []]
        return min(joins) if joins else None
