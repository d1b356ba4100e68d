"""The syncs leadpipe runs, from `syncs:` in leadpipe.yml: which segment goes where, how, and
with which fields. Every problem in that section is reported at once, naming the key."""

import re
from functools import cache

import yaml

from activation.destinations import DESTINATIONS
from activation.plan import SyncSpec
from leadpipe.config import LeadpipeConfig
from leadpipe.settings import DBT_PROJECT_DIR

COLUMN = re.compile(r"^[a-z_][a-z0-9_]*$")
FIELD = re.compile(r"^[A-Za-z0-9_.-]+$")


@cache
def default_segments() -> tuple[str, ...]:
    """The segments dbt_project.yml defines when leadpipe.yml has no `segments:`."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return tuple(project["vars"]["segments"])


def sync_specs(config: LeadpipeConfig) -> list[SyncSpec]:
    """One spec per configured sync of a known destination, its fields defaulting to the
    destination's."""
    specs = []
    for name, sync in config.active_syncs().items():
        destination = DESTINATIONS.get(sync.destination)
        if destination is None:
            continue  # reported by sync_problems
        specs.append(
            SyncSpec(
                name=name,
                destination=sync.destination,
                segment=sync.segment,
                mode=sync.mode,
                fields=sync.fields or destination.default_fields,
                required_fields=destination.required_fields,
                gate_on=destination.gate_on,
                overwrite_with_nulls=sync.overwrite_with_nulls,
                list_id=sync.list_id,
                list_name=sync.list_name,
            )
        )
    return specs


def sync_problems(config: LeadpipeConfig) -> list[str]:
    """What is wrong in `syncs:`: unknown segments or destinations, unsupported modes, fields
    that are not plain names, list syncs without a list."""
    segments = tuple(config.segments) if config.segments is not None else default_segments()
    problems = []
    for name, sync in config.active_syncs().items():
        key = f"syncs.{name}"
        if sync.segment not in segments:
            problems.append(
                f"{key}.segment names {sync.segment}, not a segment (known: {', '.join(segments)})"
            )
        destination = DESTINATIONS.get(sync.destination)
        if destination is None:
            problems.append(
                f"{key}.destination names {sync.destination}, not a destination leadpipe knows "
                f"(known: {', '.join(DESTINATIONS)})"
            )
            continue
        if sync.mode not in destination.modes:
            problems.append(
                f"{key}.mode {sync.mode} is not one {sync.destination} supports "
                f"({', '.join(destination.modes)})"
            )
        if sync.mode == "list_membership" and not sync.list_id:
            if not destination.lists_by_name:
                problems.append(f"{key}.list_id is needed for list_membership")
            elif not sync.list_name:
                problems.append(f"{key}.list_name (or list_id) is needed for list_membership")
        for column, field in (sync.fields or {}).items():
            if not COLUMN.match(column) or not FIELD.match(field):
                problems.append(f"{key}.fields: {column}: {field} is not a plain column/field")
    return problems
