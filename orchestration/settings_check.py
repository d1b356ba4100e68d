"""The settings check every command runs first: one message listing every problem.

It imports neither Dagster nor dbt, so a user mistake is told in a second or two.
"""

import os

from activation.destinations import DESTINATIONS
from activation.syncs import sync_problems
from enrichment.providers import PROVIDERS
from ingestion import imports
from ingestion.registry import CONNECTORS
from leadpipe.config import config_path, load_config
from leadpipe.errors import ConfigError
from leadpipe.pseudonyms import KEY_SETTING


def check_settings() -> None:
    """Raise one message listing every problem: a missing file, streams, or credentials."""
    config = load_config()
    problems = []
    for section, source in config.sources.items():
        streams = sorted(p for p, c in CONNECTORS.items() if c.section() == section)
        problems += [
            f"sources.{section}.disabled_streams: {name!r} is not one of its streams "
            f"({', '.join(streams) or 'none'})"
            for name in source.disabled_streams
            if name not in streams
        ]
    for platform, connector in CONNECTORS.items():
        source = config.source(connector.section())
        if not source.enabled or platform in source.disabled_streams:
            continue
        needs_streams = not (connector.optional_streams or connector.fixed_streams)
        if needs_streams and not getattr(source, connector.streams_key):
            problems.append(
                f"sources.{connector.section()}.{connector.streams_key} is empty in {config_path()}"
            )
        problems += [
            f"{name} is not set" for name in connector.secret_settings() if not os.environ.get(name)
        ]
    problems += sync_problems(config)
    used = {
        sync.destination
        for sync in config.active_syncs().values()
        if sync.destination in DESTINATIONS and config.destination(sync.destination).enabled
    }
    problems += [
        f"{name} is not set"
        for destination in sorted(used)
        for name in DESTINATIONS[destination].secret_settings
        if not os.environ.get(name)
    ]
    if not os.environ.get(KEY_SETTING):  # the consent ledger and the suppression list need it
        problems.append(f"{KEY_SETTING} is not set (a long random secret: openssl rand -hex 32)")
    if not any(source.enabled for source in config.sources.values()):
        problems.append(f"no source is enabled in {config_path()}")
    for name, provider in config.enrichment.providers.items():
        if name not in PROVIDERS:
            problems.append(
                f"enrichment.providers.{name} is not a provider leadpipe knows "
                f"(known: {', '.join(sorted(PROVIDERS))})"
            )
        elif provider.enabled and not os.environ.get(PROVIDERS[name].key_setting):
            problems.append(f"{PROVIDERS[name].key_setting} is not set")
    import_source = config.source(imports.SOURCE)
    if import_source.enabled and not import_source.folder:
        problems.append(f"sources.{imports.SOURCE}.folder is not set in {config_path()}")
    known = {imports.SOURCE} | {connector.section() for connector in CONNECTORS.values()}
    problems += [
        f"sources.{name} is not a source leadpipe knows (known: {', '.join(sorted(known))})"
        for name in config.sources
        if name not in known
    ]
    if problems:
        raise ConfigError(
            f"Settings to fix: {'; '.join(dict.fromkeys(problems))}. See docs/CONFIGURATION.md, "
            "or try `leadpipe demo` to run on the sandbox."
        )
