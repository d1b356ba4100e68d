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
    SyncConfig,
    write_config,
)
from leadpipe.pseudonyms import KEY_SETTING
from sandbox.channels import imports
from sandbox.form_questions import name_every_question
from sandbox.generator import SandboxData
from sandbox.standins import (
    GoogleAdsStandIn,
    GoToWebinarStandIn,
    HubSpotFormsStandIn,
    HubSpotStandIn,
    IntercomStandIn,
    LinkedInStandIn,
    MetaAudiencesStandIn,
    MetaLeadAdsStandIn,
    PeopleDataLabsStandIn,
    SalesforceStandIn,
    SlackStandIn,
    TallyStandIn,
    TypeformStandIn,
    WebhookReceiver,
    ZoomStandIn,
)

SANDBOX_PSEUDONYM_KEY = "sandbox-pseudonym-key-not-for-production"
NURTURE_LIST_NAME = "leadpipe - warm leads nurture"  # a static list leadpipe creates by name
NURTURE_AUDIENCE_ID = "23850000000001"  # a customer-list custom audience in the Meta stand-in


# One sync per destination, so the demo shows each at work.
SANDBOX_SYNCS = {
    "hubspot_hot_leads": SyncConfig(segment="hot_leads_sales_contact", destination="hubspot"),
    "hubspot_nurture_list": SyncConfig(
        segment="warm_leads_nurture",
        destination="hubspot",
        mode="list_membership",
        list_name=NURTURE_LIST_NAME,
    ),
    "salesforce_hot_leads": SyncConfig(segment="hot_leads_sales_contact", destination="salesforce"),
    "meta_nurture_audience": SyncConfig(
        segment="warm_leads_nurture",
        destination="meta_audiences",
        mode="list_membership",
        list_id=NURTURE_AUDIENCE_ID,
    ),
    "slack_hot_lead_alerts": SyncConfig(
        segment="hot_leads_sales_contact", destination="slack", mode="insert_only"
    ),
    "webhook_hot_leads": SyncConfig(
        segment="hot_leads_sales_contact", destination="webhook", mode="mirror"
    ),
    "hot_leads_export": SyncConfig(
        segment="hot_leads_sales_contact", destination="files", mode="mirror"
    ),
}


@dataclass
class SandboxPlatforms:
    data: SandboxData
    meta: MetaLeadAdsStandIn
    typeform: TypeformStandIn
    hubspot_forms: HubSpotFormsStandIn
    linkedin: LinkedInStandIn
    google_ads: GoogleAdsStandIn
    zoom: ZoomStandIn
    gotowebinar: GoToWebinarStandIn
    tally: TallyStandIn
    intercom: IntercomStandIn
    hubspot: HubSpotStandIn
    salesforce: SalesforceStandIn
    people_data_labs: PeopleDataLabsStandIn  # a paid enricher: off in config() unless switched on
    meta_audiences: MetaAudiencesStandIn
    webhook: WebhookReceiver
    slack: SlackStandIn
    config_file: Path
    imports_folder: Path
    exports_folder: Path

    def config(self) -> LeadpipeConfig:
        """leadpipe.yml for these stand-ins: every source on, the stand-ins' URLs, and each
        form's questions mapped as its owner named them."""
        data = self.data
        config = LeadpipeConfig(
            sources={
                "meta_lead_ads": SourceConfig(
                    base_url=self.meta.graph_url,
                    forms=list(data.meta_leads),
                    accounts=list(data.records("meta_ad_insights")),
                ),
                "typeform": SourceConfig(
                    base_url=self.typeform.base_url, forms=list(data.typeform_responses)
                ),
                "hubspot_forms": SourceConfig(
                    base_url=self.hubspot_forms.base_url,
                    forms=list(data.records("hubspot_forms")),
                ),
                "linkedin_lead_sync": SourceConfig(
                    base_url=self.linkedin.base_url,
                    accounts=list(data.records("linkedin_lead_sync")),
                ),
                "google_ads": SourceConfig(
                    base_url=f"{self.google_ads.base_url}/v21",
                    accounts=list(data.records("google_ads")),
                    options={"token_url": f"{self.google_ads.base_url}/token"},
                ),
                "zoom": SourceConfig(
                    base_url=f"{self.zoom.base_url}/v2",
                    webinars=list(data.records("zoom_registrants")),
                    options={"token_url": f"{self.zoom.base_url}/oauth/token"},
                ),
                "gotowebinar": SourceConfig(
                    base_url=f"{self.gotowebinar.base_url}/G2W/rest/v2",
                    webinars=list(data.records("gotowebinar_registrants")),
                    options={
                        "token_url": f"{self.gotowebinar.base_url}/oauth/token",
                        "organizer_key": self.gotowebinar.organizer_key,
                    },
                ),
                "tally": SourceConfig(
                    base_url=self.tally.base_url, forms=list(data.records("tally"))
                ),
                "intercom": SourceConfig(base_url=self.intercom.base_url),
                "imports": SourceConfig(folder=str(self.imports_folder), columns=imports.COLUMNS),
                "hubspot_crm": SourceConfig(base_url=self.hubspot.base_url),
                "salesforce_crm": SourceConfig(base_url=self.salesforce.base_url),
            },
            destinations={
                "hubspot": DestinationConfig(base_url=self.hubspot.base_url),
                "salesforce": DestinationConfig(
                    base_url=self.salesforce.base_url, options={"bulk_threshold": "2000"}
                ),
                "meta_audiences": DestinationConfig(base_url=self.meta_audiences.graph_url),
                "webhook": DestinationConfig(base_url=self.webhook.url),
                "slack": DestinationConfig(options={"messages_per_minute": "600"}),
                "files": DestinationConfig(options={"folder": str(self.exports_folder)}),
            },
            syncs=SANDBOX_SYNCS,
        )
        name_every_question(data)
        for platform, forms in data.questions.mapping().items():
            config.sources[platform].fields = forms
        return config

    def credentials(self) -> dict[str, str]:
        """Each platform's credentials, under the variables leadpipe reads them from."""
        return {
            "LEADPIPE_META_ACCESS_TOKEN": self.meta.token,
            "LEADPIPE_TYPEFORM_TOKEN": self.typeform.token,
            "LEADPIPE_HUBSPOT_TOKEN": self.hubspot.token,
            "LEADPIPE_LINKEDIN_ACCESS_TOKEN": self.linkedin.token,
            "LEADPIPE_GOOGLE_ADS_DEVELOPER_TOKEN": self.google_ads.developer_token,
            "LEADPIPE_GOOGLE_ADS_CLIENT_ID": self.google_ads.client[0],
            "LEADPIPE_GOOGLE_ADS_CLIENT_SECRET": self.google_ads.client[1],
            "LEADPIPE_GOOGLE_ADS_REFRESH_TOKEN": self.google_ads.token,
            "LEADPIPE_ZOOM_ACCOUNT_ID": self.zoom.account_id,
            "LEADPIPE_ZOOM_CLIENT_ID": self.zoom.client[0],
            "LEADPIPE_ZOOM_CLIENT_SECRET": self.zoom.client[1],
            "LEADPIPE_GOTO_CLIENT_ID": self.gotowebinar.client[0],
            "LEADPIPE_GOTO_CLIENT_SECRET": self.gotowebinar.client[1],
            "LEADPIPE_GOTO_REFRESH_TOKEN": self.gotowebinar.token,
            "LEADPIPE_TALLY_TOKEN": self.tally.token,
            "LEADPIPE_INTERCOM_TOKEN": self.intercom.token,
            "LEADPIPE_SALESFORCE_CLIENT_ID": self.salesforce.client[0],
            "LEADPIPE_SALESFORCE_CLIENT_SECRET": self.salesforce.client[1],
            "LEADPIPE_PDL_API_KEY": self.people_data_labs.token,
            KEY_SETTING: SANDBOX_PSEUDONYM_KEY,
            "LEADPIPE_WEBHOOK_SECRET": self.webhook.token,
            "LEADPIPE_SLACK_WEBHOOK_URL": self.slack.url,
        }

    def environment(self) -> dict[str, str]:
        """The configuration file and credentials that point leadpipe at these stand-ins."""
        write_config(self.config(), self.config_file)
        imports.write_files(self.data, self.imports_folder)
        return {CONFIG_ENV: str(self.config_file), **self.credentials()}


@contextmanager
def serve(
    data: SandboxData, hubspot_requests_per_10s: int | None = 190
) -> Iterator[SandboxPlatforms]:
    """Start every stand-in on 127.0.0.1; stop them on exit."""
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="leadpipe-sandbox-")))
        yield SandboxPlatforms(
            data=data,
            meta=stack.enter_context(MetaLeadAdsStandIn(data)),
            typeform=stack.enter_context(TypeformStandIn(data)),
            hubspot_forms=stack.enter_context(HubSpotFormsStandIn(data)),
            linkedin=stack.enter_context(LinkedInStandIn(data)),
            google_ads=stack.enter_context(GoogleAdsStandIn(data)),
            zoom=stack.enter_context(ZoomStandIn(data)),
            gotowebinar=stack.enter_context(GoToWebinarStandIn(data)),
            tally=stack.enter_context(TallyStandIn(data)),
            intercom=stack.enter_context(IntercomStandIn(data)),
            hubspot=stack.enter_context(HubSpotStandIn(requests_per_10s=hubspot_requests_per_10s)),
            salesforce=stack.enter_context(SalesforceStandIn()),
            people_data_labs=stack.enter_context(PeopleDataLabsStandIn(data)),
            meta_audiences=stack.enter_context(
                MetaAudiencesStandIn(audiences=[NURTURE_AUDIENCE_ID])
            ),
            webhook=stack.enter_context(WebhookReceiver()),
            slack=stack.enter_context(SlackStandIn(per_second=None)),
            config_file=folder / "leadpipe.yml",
            imports_folder=folder / "imports",
            exports_folder=folder / "exports",
        )
