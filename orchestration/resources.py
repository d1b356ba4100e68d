"""Dagster resources: the warehouse, the dbt CLI and each platform's connection settings.

Secrets come from the environment through `EnvVar`; base URLs default to the real platforms.
"""

import os
from datetime import timedelta

import dagster as dg
import requests
from dagster_duckdb import DuckDBResource

from activation.destinations.hubspot import HUBSPOT_URL
from ingestion.meta_lead_ads import GRAPH_URL
from ingestion.typeform import TYPEFORM_URL
from leadpipe.errors import ConfigError
from leadpipe.http import build_session
from leadpipe.settings import split_list, warehouse_path
from orchestration.dbt_project import dbt_cli


class PlatformResource(dg.ConfigurableResource):
    """Base URL and token of one platform's API."""

    base_url: str
    access_token: str

    def session(self) -> requests.Session:
        return build_session(self.access_token)


class SourceResource(PlatformResource):
    """A lead source: which forms to pull and how far back to re-read for late records."""

    form_ids: str = ""
    lookback_hours: int = 24

    @property
    def forms(self) -> list[str]:
        return split_list(self.form_ids)

    @property
    def lookback(self) -> timedelta:
        return timedelta(hours=self.lookback_hours)


REQUIRED_SETTINGS = (
    "LEADPIPE_META_ACCESS_TOKEN",
    "LEADPIPE_META_FORM_IDS",
    "LEADPIPE_TYPEFORM_TOKEN",
    "LEADPIPE_TYPEFORM_FORM_IDS",
    "LEADPIPE_HUBSPOT_TOKEN",
)


def check_settings() -> None:
    """Raise one message listing every required setting that is not set."""
    missing = [name for name in REQUIRED_SETTINGS if not os.environ.get(name)]
    if missing:
        raise ConfigError(
            f"Missing settings: {', '.join(missing)}. Set them in the environment "
            "(see docs/CONFIGURATION.md), or try `leadpipe demo` to run on the sandbox."
        )


def build_resources() -> dict:
    """Resources from the environment as it is now (tests and the CLI set it first)."""
    env = os.environ.get
    return {
        "warehouse": DuckDBResource(database=str(warehouse_path())),
        "dbt": dbt_cli(),
        "meta_lead_ads": SourceResource(
            base_url=env("LEADPIPE_META_BASE_URL", GRAPH_URL),
            access_token=dg.EnvVar("LEADPIPE_META_ACCESS_TOKEN"),
            form_ids=env("LEADPIPE_META_FORM_IDS", ""),
            lookback_hours=int(env("LEADPIPE_LOOKBACK_HOURS", "24")),
        ),
        "typeform": SourceResource(
            base_url=env("LEADPIPE_TYPEFORM_BASE_URL", TYPEFORM_URL),
            access_token=dg.EnvVar("LEADPIPE_TYPEFORM_TOKEN"),
            form_ids=env("LEADPIPE_TYPEFORM_FORM_IDS", ""),
            lookback_hours=int(env("LEADPIPE_LOOKBACK_HOURS", "24")),
        ),
        "hubspot": PlatformResource(
            base_url=env("LEADPIPE_HUBSPOT_BASE_URL", HUBSPOT_URL),
            access_token=dg.EnvVar("LEADPIPE_HUBSPOT_TOKEN"),
        ),
    }
