"""The configuration file (`leadpipe.yml`): which sources run, and their accounts, forms and
webinars. Secrets are never in it: each platform's token comes from the environment.

The file is found at `$LEADPIPE_CONFIG`, else `./leadpipe.yml`. Every key is documented in
docs/CONFIGURATION.md; a typo or a wrong type is one message naming the key.
"""

import os
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from leadpipe.errors import ConfigError

CONFIG_ENV = "LEADPIPE_CONFIG"
DEFAULT_CONFIG = Path("leadpipe.yml")
SEGMENT_NAME = r"^[a-z][a-z0-9_]*$"
# What a form's question can mean (docs/CONFIGURATION.md#field-mapping); `consent:<purpose>` and
# `attribute:<name>` take a name of that shape, `ignore` marks a question read on purpose as
# nothing.
PROFILE_FIELDS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "full_name",
    "company",
    "job_title",
    "country",
    "message",
    "hand_raiser",
    "ignore",
)
IMPORT_FIELDS = ("captured_at",)  # an imported list's column may also give the capture time
DEFAULT_PURPOSES = ("email_marketing", "sales_contact")
DEFAULT_HAND_RAISER_ANSWERS = (
    "Request a demo",
    "Talk to sales",
    "Contact sales",
    "Demander une démo",
    "Être rappelé",
    "Parler à un commercial",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceConfig(_Strict):
    """One source platform. Which of forms / accounts / webinars it reads depends on it."""

    enabled: bool = True
    base_url: str | None = None  # default: the real platform
    forms: list[str] = Field(default_factory=list)
    accounts: list[str] = Field(default_factory=list)
    webinars: list[str] = Field(default_factory=list)
    lookback_hours: int | None = Field(default=None, ge=0)
    page_size: int | None = Field(default=None, ge=1)
    options: dict[str, str] = Field(default_factory=dict)  # platform specifics, documented
    folder: str | None = None  # imports: where CSV / Excel files are dropped
    columns: dict[str, str] = Field(default_factory=dict)  # imports: file column -> field
    # streams of this source not to pull, by name (e.g. linkedin_ad_analytics: the ad spend)
    disabled_streams: list[str] = Field(default_factory=list)
    # form id ("*": every form of the source) -> question key, ref, id or label -> field
    fields: dict[str, dict[str, str]] = Field(default_factory=dict)


class DestinationConfig(_Strict):
    """One destination; its secrets come from the environment (docs/CONFIGURATION.md)."""

    enabled: bool = True
    base_url: str | None = None  # default: the real API
    options: dict[str, str] = Field(default_factory=dict)  # destination specifics, documented


class ProviderConfig(_Strict):
    """A paid enrichment provider; its API key comes from the environment."""

    enabled: bool = True
    base_url: str | None = None  # default: the real API
    min_likelihood: int = Field(default=6, ge=1, le=10)


class EnrichmentConfig(_Strict):
    providers: dict[str, ProviderConfig] = Field(default_factory=dict)


class SegmentConfig(_Strict):
    """A segment: the people of `marts.dim_leads` matching `filter` (a SQL condition), for a
    purpose their consent must cover, headed for some destinations."""

    filter: str = Field(min_length=1)
    purpose: str = Field(pattern=SEGMENT_NAME)  # one of `consent_purposes`
    description: str = ""


class SyncConfig(_Strict):
    """A segment sent to a destination: how (`mode`), with which fields."""

    segment: str = Field(pattern=SEGMENT_NAME)
    destination: str
    mode: Literal["upsert", "update_only", "insert_only", "mirror", "list_membership"] = "upsert"
    fields: dict[str, str] | None = None  # warehouse column -> destination field
    overwrite_with_nulls: bool = False  # by default an empty value never clears one already set
    list_id: str | None = None  # list membership: the destination's list or audience id
    list_name: str | None = None  # HubSpot: the static list to find by name, or create
    description: str = ""


# Without a `syncs:` section: the hot leads go to HubSpot, as upserts.
DEFAULT_SYNCS = {
    "hubspot_hot_leads": SyncConfig(segment="hot_leads_sales_contact", destination="hubspot")
}


class LeadpipeConfig(_Strict):
    lookback_hours: int = Field(default=24, ge=0)
    # People with no activity for this long are erased (default three years).
    retention_days: int = Field(default=3 * 365, ge=30)
    # What consent is asked for; a form question maps to `consent:<purpose>`.
    consent_purposes: list[Annotated[str, Field(pattern=SEGMENT_NAME)]] = Field(
        default_factory=lambda: list(DEFAULT_PURPOSES), min_length=1
    )
    # Answers to a question mapped to `hand_raiser` that ask for sales (besides yes / true).
    hand_raiser_answers: list[str] = Field(
        default_factory=lambda: list(DEFAULT_HAND_RAISER_ANSWERS)
    )
    sources: dict[str, SourceConfig] = Field(default_factory=dict)
    destinations: dict[str, DestinationConfig] = Field(default_factory=dict)
    enrichment: EnrichmentConfig = Field(default_factory=EnrichmentConfig)
    # None: the default segments of dbt_project.yml
    segments: dict[Annotated[str, Field(pattern=SEGMENT_NAME)], SegmentConfig] | None = None
    # None: DEFAULT_SYNCS
    syncs: dict[Annotated[str, Field(pattern=SEGMENT_NAME)], SyncConfig] | None = None

    @model_validator(mode="after")
    def _known_fields_and_purposes(self) -> "LeadpipeConfig":
        problems = []
        for name, source in self.sources.items():
            mappings = {"columns": source.columns} | {
                f"fields.{form}": questions for form, questions in source.fields.items()
            }
            for where, questions in mappings.items():
                for question, field in questions.items():
                    if where == "columns" and field in IMPORT_FIELDS:
                        continue
                    problem = field_problem(field, self.consent_purposes)
                    if problem:
                        problems.append(f"sources.{name}.{where}.{question}: {problem}")
        for name, segment in (self.segments or {}).items():
            if segment.purpose not in self.consent_purposes:
                problems.append(
                    f"segments.{name}.purpose: {segment.purpose!r} is not one of "
                    f"consent_purposes ({', '.join(self.consent_purposes)})"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def source(self, platform: str) -> SourceConfig:
        """A source's settings; one missing from the file is off."""
        return self.sources.get(platform, SourceConfig(enabled=False))

    def destination(self, name: str) -> DestinationConfig:
        return self.destinations.get(name, DestinationConfig())

    def active_syncs(self) -> dict[str, SyncConfig]:
        """The syncs to run: the file's, else the default one."""
        return DEFAULT_SYNCS if self.syncs is None else self.syncs


def field_problem(field: str, purposes: list[str]) -> str | None:
    """Why `field` is not something a form's question can map to, or None."""
    kind, _, name = field.partition(":")
    if field in PROFILE_FIELDS:
        return None
    if kind == "consent" and name in purposes:
        return None
    if kind == "consent":
        return f"{name!r} is not one of consent_purposes ({', '.join(purposes)})"
    if kind == "attribute" and re.fullmatch(SEGMENT_NAME, name):
        return None
    return (
        f"{field!r} is not a field: use one of {', '.join(PROFILE_FIELDS)}, "
        "consent:<purpose> or attribute:<name>"
    )


def config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG).expanduser().resolve()


def load_config(path: Path | None = None) -> LeadpipeConfig:
    """Read and validate the configuration file, or raise one message naming the fix."""
    path = path or config_path()
    if not path.is_file():
        raise ConfigError(
            f"No configuration file at {path}: copy leadpipe.example.yml to leadpipe.yml (or set "
            f"{CONFIG_ENV}), or try `leadpipe demo` to run on the sandbox."
        )
    try:
        raw = yaml.safe_load(path.read_text()) or {}
        return LeadpipeConfig.model_validate(raw)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} is not valid YAML: {error}") from None
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ConfigError(f"{path} has invalid settings: {problems}.") from None


def write_config(config: LeadpipeConfig, path: Path) -> Path:
    """Write a configuration file (the sandbox and tests use it to point at stand-ins)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = config.model_dump(exclude_defaults=True)
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True))
    return path
