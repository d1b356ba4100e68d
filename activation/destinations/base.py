"""What the sync engine hands a destination, and what the destination reports back.

A destination receives the records to write (create / update / retry) and the records to take
out (remove), and returns one `Outcome` per record. It never sees a record's email in its
`key`: keys are lead ids, and errors are redacted before they are kept.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from leadpipe.config import DestinationConfig

if TYPE_CHECKING:
    from activation.plan import SyncSpec

MODES = ("upsert", "update_only", "insert_only", "mirror", "list_membership")


@dataclass(frozen=True)
class Change:
    key: str  # the record's key in the warehouse (lead_id)
    operation: str  # create, update, retry or remove
    fields: dict  # destination field -> value; {} for a removal
    destination_id: str | None = None  # what the destination called it last time
    created_by_leadpipe: bool = False


@dataclass
class Outcome:
    key: str
    success: bool
    destination_id: str | None = None
    created: bool = False
    error: str | None = None


class Destination(Protocol):
    """One destination API. Class attributes say what the sync engine may ask of it."""

    name: ClassVar[str]
    modes: ClassVar[tuple[str, ...]]
    default_fields: ClassVar[dict[str, str]]  # warehouse column -> destination field
    required_fields: ClassVar[tuple[str, ...]]  # destination fields a record cannot go without
    gate_on: ClassVar[str]  # "email": the email's consent decides; "any": each identifier's own
    secret_settings: ClassVar[tuple[str, ...]]  # environment variables it reads
    lists_by_name: ClassVar[bool]  # a list_membership sync may name its list (`list_name`)
    requests: int

    @classmethod
    def from_settings(cls, settings: DestinationConfig, spec: "SyncSpec") -> "Destination":
        """The destination for one sync, its secrets read from the environment."""
        ...

    def apply(
        self, mode: str, changes: list[Change], members: Callable[[], list[dict]]
    ) -> list[Outcome]:
        """Write and remove `changes` per `mode`; `members()` gives every record the segment
        holds now (mapped fields), for destinations that rewrite everything (files)."""
        ...

    def erase(self, changes: list[Change]) -> list[Outcome]:
        """Delete these records for good (an erasure request), by their destination id."""
        ...


def url_setting(destination: Destination) -> str:
    """Where the destination's URL is set: named when it cannot be reached."""
    default = f"destinations.{destination.name}.base_url in leadpipe.yml"
    return getattr(destination, "url_from", default)


# The profile most destinations receive by default: warehouse column -> field name.
PROFILE_FIELDS = {
    "lead_id": "lead_id",
    "email": "email",
    "first_name": "first_name",
    "last_name": "last_name",
    "phone_e164": "phone",
    "company": "company",
    "job_title": "job_title",
    "country_code": "country",
    "message": "message",
    "customer_type": "customer_type",
    "tier": "tier",
    "grade": "grade",
    "total_score": "score",
    "score_reasons": "score_reasons",
    "first_channel": "channel",
    "first_source": "source",
}
