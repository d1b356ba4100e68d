"""Serve generated data from every stand-in at once and say how to point leadpipe at them."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from sandbox.generator import SandboxData
from sandbox.standins import HubSpotStandIn, MetaLeadAdsStandIn, TypeformStandIn


@dataclass
class SandboxPlatforms:
    meta: MetaLeadAdsStandIn
    typeform: TypeformStandIn
    hubspot: HubSpotStandIn

    def environment(self) -> dict[str, str]:
        """The settings that point leadpipe at these stand-ins instead of the real APIs."""
        data = self.meta.data
        return {
            "LEADPIPE_META_BASE_URL": self.meta.graph_url,
            "LEADPIPE_META_ACCESS_TOKEN": self.meta.token,
            "LEADPIPE_META_FORM_IDS": ",".join(data.meta_leads),
            "LEADPIPE_TYPEFORM_BASE_URL": self.typeform.base_url,
            "LEADPIPE_TYPEFORM_TOKEN": self.typeform.token,
            "LEADPIPE_TYPEFORM_FORM_IDS": ",".join(data.typeform_responses),
            "LEADPIPE_HUBSPOT_BASE_URL": self.hubspot.base_url,
            "LEADPIPE_HUBSPOT_TOKEN": self.hubspot.token,
        }


@contextmanager
def serve(
    data: SandboxData, hubspot_requests_per_10s: int | None = 190
) -> Iterator[SandboxPlatforms]:
    """Start the Meta, Typeform and HubSpot stand-ins on 127.0.0.1; stop them on exit."""
    with ExitStack() as stack:
        yield SandboxPlatforms(
            meta=stack.enter_context(MetaLeadAdsStandIn(data)),
            typeform=stack.enter_context(TypeformStandIn(data)),
            hubspot=stack.enter_context(HubSpotStandIn(requests_per_10s=hubspot_requests_per_10s)),
        )
