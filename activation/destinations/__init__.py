"""One module per destination API; `DESTINATIONS` names them as leadpipe.yml does."""

from activation.destinations.files import Files
from activation.destinations.hubspot import HubSpot
from activation.destinations.meta_audiences import MetaAudiences
from activation.destinations.salesforce import Salesforce
from activation.destinations.slack import Slack
from activation.destinations.webhook import Webhook

DESTINATIONS = {
    destination.name: destination
    for destination in (HubSpot, Salesforce, MetaAudiences, Slack, Webhook, Files)
}
