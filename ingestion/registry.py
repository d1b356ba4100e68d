"""Every source connector leadpipe ships, by platform name (the key in leadpipe.yml)."""

from ingestion.connector import Connector
from ingestion.meta_lead_ads import MetaLeadAds
from ingestion.typeform import Typeform

CONNECTORS: dict[str, type[Connector]] = {
    connector.platform: connector for connector in (MetaLeadAds, Typeform)
}
