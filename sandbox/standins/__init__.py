"""HTTP stand-ins for the real platforms, served on 127.0.0.1 with ephemeral ports."""

from sandbox.standins.hubspot import HubSpotStandIn
from sandbox.standins.meta_lead_ads import MetaLeadAdsStandIn
from sandbox.standins.typeform import TypeformStandIn

__all__ = ["HubSpotStandIn", "MetaLeadAdsStandIn", "TypeformStandIn"]
