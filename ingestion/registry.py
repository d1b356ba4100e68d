"""Every source connector leadpipe ships, by platform name."""

from ingestion.ad_spend import GoogleAdsCosts, LinkedInAdAnalytics, MetaAdInsights
from ingestion.connector import Connector
from ingestion.google_ads import GoogleAdsLeadForms
from ingestion.gotowebinar import GoToWebinarAttendees, GoToWebinarRegistrants
from ingestion.hubspot_crm import HubSpotContactOutcomes
from ingestion.hubspot_forms import HubSpotForms
from ingestion.intercom import IntercomContacts, IntercomConversations
from ingestion.linkedin_lead_sync import LinkedInLeadSync
from ingestion.meta_lead_ads import MetaLeadAds
from ingestion.salesforce import SalesforceLeadOutcomes
from ingestion.tally import Tally
from ingestion.typeform import Typeform
from ingestion.zoom import ZoomParticipants, ZoomRegistrants

CONNECTORS: dict[str, type[Connector]] = {
    connector.platform: connector
    for connector in (
        MetaLeadAds,
        Typeform,
        HubSpotForms,
        LinkedInLeadSync,
        GoogleAdsLeadForms,
        ZoomRegistrants,
        ZoomParticipants,
        GoToWebinarRegistrants,
        GoToWebinarAttendees,
        Tally,
        IntercomContacts,
        IntercomConversations,
        MetaAdInsights,
        GoogleAdsCosts,
        LinkedInAdAnalytics,
        HubSpotContactOutcomes,
        SalesforceLeadOutcomes,
    )
}
