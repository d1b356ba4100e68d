"""HTTP stand-ins for the real platforms, served on 127.0.0.1 with ephemeral ports."""

from sandbox.standins.google_ads import GoogleAdsStandIn
from sandbox.standins.gotowebinar import GoToWebinarStandIn
from sandbox.standins.hubspot import HubSpotStandIn
from sandbox.standins.hubspot_forms import HubSpotFormsStandIn
from sandbox.standins.intercom import IntercomStandIn
from sandbox.standins.linkedin import LinkedInStandIn
from sandbox.standins.meta_audiences import MetaAudiencesStandIn
from sandbox.standins.meta_lead_ads import MetaLeadAdsStandIn
from sandbox.standins.people_data_labs import PeopleDataLabsStandIn
from sandbox.standins.salesforce import SalesforceStandIn
from sandbox.standins.slack import SlackStandIn
from sandbox.standins.tally import TallyStandIn
from sandbox.standins.typeform import TypeformStandIn
from sandbox.standins.webhook_receiver import WebhookReceiver
from sandbox.standins.zoom import ZoomStandIn

__all__ = [
    "GoToWebinarStandIn",
    "GoogleAdsStandIn",
    "HubSpotFormsStandIn",
    "HubSpotStandIn",
    "IntercomStandIn",
    "LinkedInStandIn",
    "MetaAudiencesStandIn",
    "MetaLeadAdsStandIn",
    "PeopleDataLabsStandIn",
    "SalesforceStandIn",
    "SlackStandIn",
    "TallyStandIn",
    "TypeformStandIn",
    "WebhookReceiver",
    "ZoomStandIn",
]
