"""How the connector contract tests reach each platform's connector, stand-in and records."""

from collections.abc import Callable
from dataclasses import dataclass

from ingestion.connector import Connector
from ingestion.meta_lead_ads import MetaLeadAds
from ingestion.typeform import Typeform
from leadpipe.http import build_session
from sandbox.generator import SandboxData
from sandbox.platforms import SandboxPlatforms
from sandbox.standins.server import StandIn


@dataclass(frozen=True)
class Platform:
    name: str
    standin: Callable[[SandboxPlatforms], StandIn]
    connector: Callable[[SandboxPlatforms, str | None, int], Connector]
    streams: Callable[[SandboxData], dict[str, list[dict]]]  # stream id -> records served

    def __str__(self) -> str:
        return self.name


def _bearer(cls: type[Connector], url: Callable[[SandboxPlatforms], str], standin):
    def build(platforms: SandboxPlatforms, token: str | None, page_size: int) -> Connector:
        session = build_session(token or standin(platforms).token)
        return cls(session, url(platforms), page_size)

    return build


PLATFORMS = [
    Platform(
        "meta_lead_ads",
        lambda p: p.meta,
        _bearer(MetaLeadAds, lambda p: p.meta.graph_url, lambda p: p.meta),
        lambda data: data.meta_leads,
    ),
    Platform(
        "typeform",
        lambda p: p.typeform,
        _bearer(Typeform, lambda p: p.typeform.base_url, lambda p: p.typeform),
        lambda data: data.typeform_responses,
    ),
]
