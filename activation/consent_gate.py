"""The consent gate: only people whose current consent covers the purpose and channel pass.

It joins the segment to `marts.consent_current` on the identifier actually being sent (the
email match key for email and CRM syncs), at send time, whatever the segment's filter says.
"""

import duckdb
import pandas as pd

CONSENT_TABLE = "marts.consent_current"


def consented_rows(
    con: duckdb.DuckDBPyConnection, segment: str, purpose: str, channel: str = "email"
) -> tuple[pd.DataFrame, int]:
    """Rows of the segment whose email consent for `purpose` is granted; and the held-back count."""
    gated = con.execute(
        f"""
        select segment.*, consent.status as gate_consent_status
        from {segment} as segment
        left join {CONSENT_TABLE} as consent
            on consent.identifier_type = 'email'
            and consent.identifier = segment.email_match_key
            and consent.purpose = $purpose
            and consent.channel = $channel
        """,
        {"purpose": purpose, "channel": channel},
    ).df()
    allowed = gated["gate_consent_status"].eq("granted")
    refused = int((~allowed).sum())
    return gated[allowed].drop(columns="gate_consent_status").reset_index(drop=True), refused
