"""Zoom webinars: registrants and attendance (participants), for the configured webinars.

Server-to-Server OAuth (`grant_type=account_credentials`): the token lives an hour, has no
refresh token, and is fetched again before it expires. Pages of 300 (the default 30 would
silently truncate), `next_page_token` until it is empty. Zoom cannot filter by time: every page
of a webinar is read and the window applied here.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

import requests

from ingestion.connector import Connector, Window, instant, secret
from leadpipe.errors import AuthError
from leadpipe.http import raise_for_platform
from leadpipe.oauth import renewing_session

ACCOUNT_ID = "LEADPIPE_ZOOM_ACCOUNT_ID"
CLIENT_ID = "LEADPIPE_ZOOM_CLIENT_ID"
CLIENT_SECRET = "LEADPIPE_ZOOM_CLIENT_SECRET"
TOKEN_URL = "https://zoom.us/oauth/token"
MAX_PAGE_SIZE = 300


class _Zoom(Connector):
    label = "Zoom"
    token_setting = CLIENT_SECRET
    default_url = "https://api.zoom.us/v2"
    page_size = MAX_PAGE_SIZE
    streams_key = "webinars"
    config_key = "zoom"
    path: ClassVar[str]  # with {webinar}
    items_key: ClassVar[str]
    extra_params: ClassVar[dict] = {}

    @classmethod
    def secret_settings(cls) -> tuple[str, ...]:
        return (ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET)

    @classmethod
    def from_environment(cls, base_url=None, page_size=None, options=None) -> Connector:
        options = options or {}
        account, client, client_secret = (secret(name) for name in cls.secret_settings())
        session = renewing_session(
            options.get("token_url", TOKEN_URL),
            "Zoom",
            f"{ACCOUNT_ID}, {CLIENT_ID} and {CLIENT_SECRET}",
            params={"grant_type": "account_credentials", "account_id": account},
            auth=(client, client_secret),
        )
        return cls(session, base_url, page_size, options)

    def raise_for_status(self, response: requests.Response) -> None:
        if response.status_code == 401:
            raise AuthError(
                f"Zoom refused the access token (HTTP 401): check {ACCOUNT_ID}, {CLIENT_ID} and "
                f"{CLIENT_SECRET} (a Server-to-Server OAuth app with webinar read scopes)."
            )
        if not response.ok:
            raise_for_platform(response, self.label, CLIENT_SECRET)

    def pages(self, stream_id: str, window: Window) -> Iterator[list[dict]]:
        url = f"{self.base_url}/{self.path.format(webinar=stream_id)}"
        params = {"page_size": min(self.page_size, MAX_PAGE_SIZE), **self.extra_params}
        while True:
            body = self.get(url, params)
            yield self.in_window(body.get(self.items_key, []), window)
            if not body.get("next_page_token"):
                return
            params["next_page_token"] = body["next_page_token"]

    def record_id(self, record: dict) -> str:
        return str(record["id"])


class ZoomRegistrants(_Zoom):
    platform = "zoom_registrants"
    raw_table = "zoom_webinar_registrants"
    path = "webinars/{webinar}/registrants"
    items_key = "registrants"
    extra_params: ClassVar[dict] = {"status": "approved"}

    def captured_at(self, record: dict) -> datetime | None:
        return instant(record["create_time"])


class ZoomParticipants(_Zoom):
    platform = "zoom_participants"
    raw_table = "zoom_webinar_participants"
    path = "past_webinars/{webinar}/participants"
    items_key = "participants"

    def captured_at(self, record: dict) -> datetime | None:
        return instant(record["join_time"])
