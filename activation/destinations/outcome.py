"""What a destination reports for each record it was given."""

from dataclasses import dataclass


@dataclass
class Outcome:
    key: str  # the record's key in the warehouse (lead_id), never the email
    success: bool
    destination_id: str | None = None
    created: bool = False
    error: str | None = None
