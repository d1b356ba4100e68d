"""The consent gate: which members of a segment may leave the warehouse, computed in SQL.

A member passes only if one of the identifiers they would be reached on carries a current
consent for the segment's purpose through that identifier's channel (an email for email and CRM
syncs; for ad audiences each identifier on its own), and none of the person's emails or phones
is on the suppression list or in an erasure request. Suppression and erasure win over any
consent. The email sent is the person's most recently consented one for the purpose, not
whichever address survivorship picked. An identifier several people share (a role inbox, a
switchboard) carries consent only if every person known on it gave their own: one person's
grant never covers another. An identifier without its own consent is blanked from the record
even when the record passes: consent given with an email does not authorise calling the phone.
"""

from leadpipe.pseudonyms import keyed_hash_sql
from leadpipe.suppression import BLOCKED_SQL

MEMBERSHIPS = "marts.segment_memberships"
LEADS = "marts.dim_leads"
CONSENT = "marts.consent_current"
CONSENT_EVENTS = "intermediate.int_consent_events"
CROSSWALK = "marts.lead_crosswalk"
CONTACTS = "intermediate.int_contacts_enriched"
# Columns that carry an identifier, and the identifier type whose consent they need.
IDENTIFIER_COLUMNS = {"email": "email", "email_match_key": "email", "phone_e164": "phone"}


def gated_members_sql(gate_on: str) -> str:
    """Every member of segment $segment with `email_consented`, `phone_consented`,
    `is_suppressed`, `gate_passed` and the consent that let them through
    (`gate_consent_*`); `email` and `email_match_key` are the consented address when there is
    one. `gate_on` is "email" (an email's consent decides) or "any" (either identifier's)."""
    passes = "email_consented" if gate_on == "email" else "(email_consented or phone_consented)"
    return f"""
        with
        members as (
            select leads.*, memberships.purpose as segment_purpose
            from {MEMBERSHIPS} as memberships
            inner join {LEADS} as leads on memberships.lead_id = leads.lead_id
            where memberships.segment = $segment
        ),
        purpose as (
            select any_value(purpose) as purpose from {MEMBERSHIPS} where segment = $segment
        ),
        carried as (  -- the emails and phones on every record of each member
            select crosswalk.lead_id, contacts.email, contacts.email_match_key, contacts.phone_e164
            from {CROSSWALK} as crosswalk
            inner join {CONTACTS} as contacts
                on crosswalk.source_record_key = contacts.source_record_key
            where crosswalk.lead_id in (select lead_id from members)
            union
            select lead_id, email, email_match_key, phone_e164 from members
        ),
        identifiers as (  -- one row per identifier; unpivot drops the nulls
            select distinct lead_id, identifier_type, identifier from (
                unpivot (select lead_id, email_match_key, phone_e164 from carried)
                on email_match_key as 'email', phone_e164 as 'phone'
                into name identifier_type value identifier
            )
        ),
        suppressed as (
            select distinct identifiers.lead_id
            from identifiers
            inner join ({BLOCKED_SQL}) as blocked
                on identifiers.identifier_type = blocked.identifier_type
                and {keyed_hash_sql("identifiers.identifier")} = blocked.identifier_hash
        ),
        sharers as (  -- every person known on each identifier the members carry
            select distinct 'email' as identifier_type, contacts.email_match_key as identifier,
                crosswalk.lead_id
            from {CONTACTS} as contacts
            inner join {CROSSWALK} as crosswalk
                on contacts.source_record_key = crosswalk.source_record_key
            where contacts.email_match_key in (
                select identifier from identifiers where identifier_type = 'email'
            )
            union
            select distinct 'phone', contacts.phone_e164, crosswalk.lead_id
            from {CONTACTS} as contacts
            inner join {CROSSWALK} as crosswalk
                on contacts.source_record_key = crosswalk.source_record_key
            where contacts.phone_e164 in (
                select identifier from identifiers where identifier_type = 'phone'
            )
        ),
        own_answers as (  -- each sharer's own latest answer on the identifier, for the purpose
            select
                sharers.identifier_type, sharers.identifier, sharers.lead_id,
                arg_max(events.status, events.event_at) as status
            from sharers
            inner join {CROSSWALK} as crosswalk on sharers.lead_id = crosswalk.lead_id
            inner join {CONSENT_EVENTS} as events
                on crosswalk.source_record_key = events.source_record_key
                and events.identifier_type = sharers.identifier_type
                and events.identifier = sharers.identifier
                and events.channel = sharers.identifier_type
            where events.purpose = (select purpose from purpose)
            group by all
        ),
        shared as (  -- identifiers whose people did not all give their own consent
            select sharers.identifier_type, sharers.identifier
            from sharers
            left join own_answers using (identifier_type, identifier, lead_id)
            group by all
            having count(distinct sharers.lead_id) > 1
                and count(distinct sharers.lead_id) filter (where own_answers.status = 'granted')
                    < count(distinct sharers.lead_id)
        ),
        allowed as (  -- identifiers whose current consent covers the purpose for everyone on it
            select consent.*
            from {CONSENT} as consent
            inner join (select distinct identifier_type, identifier from identifiers) as ours
                on consent.identifier_type = ours.identifier_type
                and consent.identifier = ours.identifier
            left join shared
                on consent.identifier_type = shared.identifier_type
                and consent.identifier = shared.identifier
            where consent.purpose = (select purpose from purpose)
                and consent.channel = consent.identifier_type
                and consent.status = 'granted'
                and shared.identifier is null
        ),
        email_choice as (  -- the member's most recently consented email
            select
                carried.lead_id,
                arg_max(
                    {{'email': carried.email, 'key': carried.email_match_key,
                      'status': allowed.status, 'at': allowed.status_at,
                      'source': allowed.capture_platform}},
                    coalesce(allowed.status_at, '-infinity'::timestamptz)
                ) as chosen
            from carried
            inner join allowed
                on allowed.identifier_type = 'email'
                and allowed.identifier = carried.email_match_key
            group by carried.lead_id
        ),
        consented as (
            select
                members.* replace (
                    coalesce(email_choice.chosen.email, members.email) as email,
                    coalesce(email_choice.chosen.key, members.email_match_key) as email_match_key
                ),
                email_choice.lead_id is not null as email_consented,
                phone_allowed.identifier is not null as phone_consented,
                suppressed.lead_id is not null as is_suppressed,
                email_choice.chosen as email_consent,
                phone_allowed as phone_consent
            from members
            left join email_choice on members.lead_id = email_choice.lead_id
            left join allowed as phone_allowed
                on phone_allowed.identifier_type = 'phone'
                and phone_allowed.identifier = members.phone_e164
            left join suppressed on members.lead_id = suppressed.lead_id
        ),
        select
            * exclude (email_consent, phone_consent),
            {passes} and not is_suppressed as gate_passed,
            case when email_consented then email_consent.status
                else phone_consent.status end as gate_consent_status,
            case when email_consented then email_consent.at
                else phone_consent.status_at end as gate_consent_at,
            case when email_consented then email_consent.source
                else phone_consent.capture_platform end as gate_consent_source
        from consented
    """
