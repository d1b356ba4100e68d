"""How the connector contract tests reach each platform's connector, stand-in and records."""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

from ingestion.connector import Connector
from ingestion.registry import CONNECTORS
from sandbox.generator import SandboxData
from sandbox.platforms import SandboxPlatforms
from sandbox.standins.server import RollingLimit, StandIn


@dataclass(frozen=True)
class Platform:
    name: str  # the connector's platform
    records: str  # the generator's platform whose records it pulls
    standin: Callable[[SandboxPlatforms], StandIn]
    channel: str = ""  # the generator's channel that makes them, when not `records`
    prepare: Callable[[SandboxPlatforms], None] = lambda platforms: None
    options: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name

    @property
    def connector_class(self) -> type[Connector]:
        return CONNECTORS[self.name]

    def connector(
        self, platforms: SandboxPlatforms, token: str | None, page_size: int | None, **options
    ):
        """The connector as leadpipe builds it from leadpipe.yml and the environment; `token`
        replaces the platform's main credential, `options` add to the configured ones."""
        cls = self.connector_class
        source = platforms.config().source(cls.section())
        with mock.patch.dict(os.environ, {cls.token_setting: token} if token else {}):
            return cls.from_environment(
                source.base_url, page_size, {**source.options, **self.options, **options}
            )

    @property
    def generated_by(self) -> str:
        return self.channel or self.records

    def streams(self, data: SandboxData) -> dict[str, list[dict]]:
        return data.records(self.records)


def _small_pages(platforms: SandboxPlatforms) -> None:
    platforms.google_ads.page_size = 10  # the real API's pages are 10,000 rows


def _fast_gotowebinar(platforms: SandboxPlatforms) -> None:
    platforms.gotowebinar.limit = RollingLimit(100, 1.0)  # 10 on the platform: see its own test


GOTO_FAST = {"requests_per_minute": "5700"}

PLATFORMS = [
    Platform(
        "meta_lead_ads", "meta_lead_ads", lambda p: p.meta, options={"throttle_backoff": "0.01"}
    ),
    Platform("typeform", "typeform", lambda p: p.typeform),
    Platform("hubspot_forms", "hubspot_forms", lambda p: p.hubspot_forms),
    Platform("linkedin_lead_sync", "linkedin_lead_sync", lambda p: p.linkedin),
    Platform("google_ads", "google_ads", lambda p: p.google_ads, prepare=_small_pages),
    Platform("zoom_registrants", "zoom_registrants", lambda p: p.zoom, channel="zoom"),
    Platform("zoom_participants", "zoom_participants", lambda p: p.zoom, channel="zoom"),
    Platform(
        "gotowebinar_registrants",
        "gotowebinar_registrants",
        lambda p: p.gotowebinar,
        channel="gotowebinar",
        prepare=_fast_gotowebinar,
        options=GOTO_FAST,
    ),
    Platform(
        "gotowebinar_attendees",
        "gotowebinar_attendees",
        lambda p: p.gotowebinar,
        channel="gotowebinar",
        prepare=_fast_gotowebinar,
        options=GOTO_FAST,
    ),
    Platform("intercom_contacts", "intercom_contacts", lambda p: p.intercom, channel="intercom"),
    Platform(
        "intercom_conversations", "intercom_conversations", lambda p: p.intercom, channel="intercom"
    ),
    Platform("tally", "tally", lambda p: p.tally, options={"requests_per_minute": "100000"}),
]
