"""Serve generated data from every stand-in at once and say how to point leadpipe at them."""

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from leadpipe.config import (
    CONFIG_ENV,
    DestinationConfig,
    LeadpipeConfig,
    SourceConfig,
    write_config,
)
from sandbox.generator import SandboxData
from sandbox.standins import HubSpotStandIn, MetaLeadAdsStandIn, TypeformStandIn


@dataclass
class SandboxPlatforms:
    meta: MetaLeadAdsStandIn
    typeform: TypeformStandIn
    hubspot: HubSpotStandIn
    config_file: Path

    def config(self) -> LeadpipeConfig:
        """leadpipe.yml for these stand-ins: every source on, the stand-ins' URLs."""
        data = self.meta.data
        return LeadpipeConfig(
            sources={
                "meta_lead_ads": SourceConfig(
                    base_url=self.meta.graph_url, forms=list(data.meta_leads)
                ),
                "typeform": SourceConfig(
                    base_url=self.typeform.base_url, forms=list(data.typeform_responses)
                ),
            },
            destinations={"hubspot": DestinationConfig(base_url=self.hubspot.base_url)},
        )

    def environment(self) -> dict[str, str]:
        """The configuration file and credentials that point leadpipe at these stand-ins."""
        write_config(self.config(), self.config_file)
        return {
            CONFIG_ENV: str(self.config_file),
            "LEADPIPE_META_ACCESS_TOKEN": self.meta.token,
            "LEADPIPE_TYPEFORM_TOKEN": self.typeform.token,
            "LEADPIPE_HUBSPOT_TOKEN": self.hubspot.token,
        }


@contextmanager
def serve(
    data: SandboxData, hubspot_requests_per_10s: int | None = 190
) -> Iterator[SandboxPlatforms]:
    """Start every stand-in on 127.0.0.1; stop them on exit."""
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="leadpipe-sandbox-")))
        yield SandboxPlatforms(
            meta=stack.enter_context(MetaLeadAdsStandIn(data)),
            typeform=stack.enter_context(TypeformStandIn(data)),
            hubspot=stack.enter_context(HubSpotStandIn(requests_per_10s=hubspot_requests_per_10s)),
            config_file=folder / "leadpipe.yml",
        )
