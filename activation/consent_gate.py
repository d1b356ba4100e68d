"""The consent gate: which members of a segment may leave the warehouse, computed in SQL.

A member passes only if the current consent on the identifier actually sent covers the
segment's purpose through that identifier's channel (the email for email and CRM syncs; for ad
audiences each identifier on its own), and none of the person's emails or phones is on the
suppression list or in an erasure request. Suppression and erasure win over any consent.
An identifier without its own consent is blanked from the record even when the record passes:
consent given with an email does not authorise calling the phone.
"""

from leadpipe.pseudonyms import keyed_hash_sql
from leadpipe.suppression import BLOCKED_SQL

MEMBERSHIPS = "marts.segment_memberships"
LEADS = "marts.dim_leads"
CONSENT = "marts.consent_current"
CROSSWALK = "marts.lead_crosswalk"
CONTACTS = "intermediate.int_contacts_enriched"
# Columns that carry an identifier, and the identifier type whose consent they need.
IDENTIFIER_COLUMNS = {"email": "email", "email_match_key": "email", "phone_e164": "phone"}


def gated_members_sql(gate_on: str) -> str:
    """Every member of segment $segment with `email_consented`, `phone_consented`,
    `is_suppressed`, `gate_passed` and the consent that let them through (`gate_consent_*`).
    `gate_on` is "email" (the email's consent decides) or "any" (either identifier's)."""
    passes = "email_consented" if gate_on == "email" else "(email_consented or phone_consented)"
    return f"""
        with
        members as (
            select leads.*, memberships.purpose as segment_purpose
            from {MEMBERSHIPS} as memberships
            inner join {LEADS} as leads on memberships.lead_id = leads.lead_id
            where memberships.segment = $segment
        ),
        carried as (  -- the emails and phones on every record of each member
            select crosswalk.lead_id, contacts.email_match_key, contacts.phone_e164
            from {CROSSWALK} as crosswalk
            inner join {CONTACTS} as contacts
                on crosswalk.source_record_key = contacts.source_record_key
            where crosswalk.lead_id in (select lead_id from members)
            union
            select lead_id, email_match_key, phone_e164 from members
        ),
        identifiers as (  -- one row per identifier; unpivot drops the nulls
            unpivot carried
            on email_match_key as 'email', phone_e164 as 'phone'
            into name identifier_type value identifier
        ),
        suppressed as (
            select distinct identifiers.lead_id
            from identifiers
            inner join ({BLOCKED_SQL}) as blocked
                on identifiers.identifier_type = blocked.identifier_type
                and {keyed_hash_sql("identifiers.identifier")} = blocked.identifier_hash
        ),
        consented as (
            select
                members.*,
                coalesce(email_consent.status = 'granted', false) as email_consented,
                coalesce(phone_consent.status = 'granted', false) as phone_consented,
                suppressed.lead_id is not null as is_suppressed,
                email_consent, phone_consent
            from members
            left join {CONSENT} as email_consent
                on email_consent.identifier_type = 'email'
                and email_consent.identifier = members.email_match_key
                and email_consent.purpose = members.segment_purpose
                and email_consent.channel = 'email'
            left join {CONSENT} as phone_consent
                on phone_consent.identifier_type = 'phone'
                and phone_consent.identifier = members.phone_e164
                and phone_consent.purpose = members.segment_purpose
                and phone_consent.channel = 'phone'
            left join suppressed on members.lead_id = suppressed.lead_id
        )
        select
            * exclude (email_consent, phone_consent),
            {passes} and not is_suppressed as gate_passed,
            case when email_consented then email_consent.status
                else phone_consent.status end as gate_consent_status,
            case when email_consented then email_consent.status_at
                else phone_consent.status_at end as gate_consent_at,
            case when email_consented then email_consent.capture_platform
                else phone_consent.capture_platform end as gate_consent_source
        from consented
    """
