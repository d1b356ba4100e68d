"""Dagster resources: the warehouse, the dbt CLI, each source and each destination.

Non-secret settings come from leadpipe.yml (leadpipe/config.py); credentials only ever from the
environment, read when a connector or destination is built, so they never appear in run config.
"""

import os
from contextlib import contextmanager
from datetime import timedelta

import dagster as dg
from dagster_duckdb import DuckDBResource
from pydantic import Field

from enrichment.providers import PROVIDERS, EnrichmentProvider
from ingestion import imports
from ingestion.connector import Connector
from ingestion.field_mapping import mapping_rows
from ingestion.form_definitions import CONSENT_KINDS, CONSENT_WORDING
from ingestion.registry import CONNECTORS
from leadpipe.config import LeadpipeConfig, config_path, load_config
from leadpipe.errors import ConfigError
from leadpipe.http import build_session
from leadpipe.settings import duckdb_config, warehouse_path
from orchestration.dbt_project import dbt_cli


class WarehouseResource(DuckDBResource):
    """The warehouse connection of an asset, closed even when the asset fails.

    dagster-duckdb closes it only after a step that succeeded: a failed one (a sync whose
    destination is down) left its connection open until garbage collection, so the compaction
    after it could not reopen the file, or swapped the file under a live connection.
    """

    @contextmanager
    def get_connection(self):
        with super().get_connection() as con:
            try:
                yield con
            finally:
                con.close()


class SourceResource(dg.ConfigurableResource):
    """One source platform as configured: on or off, its streams, how far to look back."""

    platform: str
    enabled: bool = False
    base_url: str | None = None
    streams: list[str] = Field(default_factory=list)
    lookback_hours: int = 24
    page_size: int | None = None
    options: dict[str, str] = Field(default_factory=dict)

    @property
    def lookback(self) -> timedelta:
        return timedelta(hours=self.lookback_hours)

    def connector(self) -> Connector:
        return CONNECTORS[self.platform].from_environment(
            self.base_url, self.page_size, self.options
        )


class ImportsResource(dg.ConfigurableResource):
    """The folder where CSV / Excel lists are dropped, and how their columns map to fields."""

    enabled: bool = False
    folder: str = ""
    columns: dict[str, str] = Field(default_factory=dict)


def _source_resource(config: LeadpipeConfig, platform: str) -> SourceResource:
    connector = CONNECTORS[platform]
    source = config.source(connector.section())
    return SourceResource(
        platform=platform,
        enabled=source.enabled and platform not in source.disabled_streams,
        base_url=source.base_url,
        streams=list(connector.fixed_streams) or getattr(source, connector.streams_key),
        lookback_hours=(
            config.lookback_hours if source.lookback_hours is None else source.lookback_hours
        ),
        page_size=source.page_size,
        options=source.options,
    )


def file_config() -> LeadpipeConfig:
    """The configuration file, or everything off when there is none yet (the Dagster UI still
    loads; `leadpipe run` says what to do)."""
    return load_config() if config_path().is_file() else LeadpipeConfig()


def enrichment_providers() -> list[EnrichmentProvider]:
    """The paid enrichment providers switched on in the configuration file, ready to ask."""
    providers = []
    for name, settings in file_config().enrichment.providers.items():
        if not settings.enabled:
            continue
        if name not in PROVIDERS:
            raise ConfigError(
                f"enrichment.providers.{name} is not a provider leadpipe knows "
                f"(known: {', '.join(sorted(PROVIDERS))})."
            )
        provider = PROVIDERS[name]
        key = os.environ.get(provider.key_setting)
        if not key:
            raise ConfigError(f"{provider.key_setting} is not set (enrichment.providers.{name}).")
        session = build_session()
        session.headers["X-Api-Key"] = key
        url = settings.base_url or provider.default_url
        providers.append(provider(session, url, settings.min_likelihood))
    return providers


def dbt_vars() -> dict:
    """dbt vars the configuration file sets: the field mapping, consent purposes and
    hand-raiser answers, and its segments when it defines any; with what makes a question look
    like a consent, shared with `leadpipe forms`."""
    config = file_config()
    variables = {
        "field_mappings": mapping_rows(config),
        "consent_purposes": config.consent_purposes,
        "hand_raiser_answers": config.hand_raiser_answers,
        "consent_kinds": sorted(CONSENT_KINDS),
        "consent_wording": CONSENT_WORDING.pattern,
    }
    if config.segments is not None:
        variables["segments"] = {
            name: segment.model_dump() for name, segment in config.segments.items()
        }
    return variables


def build_resources() -> dict:
    """Resources from the configuration file and environment as they are now."""
    config = file_config()
    import_source = config.source(imports.SOURCE)
    return {
        "warehouse": WarehouseResource(
            database=str(warehouse_path()), connection_config=duckdb_config()
        ),
        "dbt": dbt_cli(),
        **{platform: _source_resource(config, platform) for platform in CONNECTORS},
        imports.SOURCE: ImportsResource(
            enabled=import_source.enabled,
            folder=import_source.folder or "",
            columns=import_source.columns,
        ),
    }
