"""The consent gate: only people whose current consent covers the purpose and channel pass.

It joins the segment to `marts.consent_current` on the identifier actually being sent (the
email match key for email and CRM syncs), at send time, whatever the segment's filter says.
"""

CONSENT_TABLE = "marts.consent_current"


def gated_segment_sql(segment: str) -> str:
    """The segment's rows plus `gate_passed`: true only where the current consent on the email
    for `$purpose` through `$channel` is granted. Bind $purpose and $channel when running it."""
    return f"""
        select
            segment.*,
            coalesce(consent.status = 'granted', false) as gate_passed
        from {segment} as segment
        left join {CONSENT_TABLE} as consent
            on consent.identifier_type = 'email'
            and consent.identifier = segment.email_match_key
            and consent.purpose = $purpose
            and consent.channel = $channel
    """
