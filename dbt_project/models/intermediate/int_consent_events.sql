-- Consent as events: one row per consent purpose a record answered (the questions the field
-- mapping sends to `consent:<purpose>`; never from an unfinished response), per identifier it
-- was given with, and one denial per opt-out a CRM holds (unsubscribed from email, Do Not Call).
-- Consent attaches to the identifier: an email's consent does not cover calling the phone.
-- Each event carries the wording the person saw (seeds/consent_wordings) and its lawful basis
-- (an import batch's declared one). Incremental: only the records enriched, and the CRM records
-- pulled, since the last build. An opt-out keeps the time it was first seen, and stays when the
-- CRM record no longer shows it: leadpipe takes withdrawals from a CRM, never consent.

{{ config(
    unique_key="source_record_key",
    post_hook="{{ delete_missing('source_record_key', 'select source_record_key from '
        ~ ref('int_contacts_enriched') ~ ' where quarantine_reason is null union all '
        ~ 'select source_record_key from ' ~ ref('int_crm_contacts_unioned')) }}",
) }}

{%- if is_incremental() %}{% set since = last_built() %}{% endif %}

with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
    {%- if is_incremental() %}
        where batch_at > {{ since }}
    {%- endif %}
),

answers as (
    select
        source_record_key,
        platform,
        form_id,
        campaign_id,
        capture_url,
        captured_at,
        email_match_key,
        email_is_valid,
        phone_e164,
        phone_is_valid,
        answer.purpose,
        answer.granted
    from (
        select
            *,
            unnest(consent_answers) as answer
        from contacts
        where quarantine_reason is null
    ) as unnested
),

form_events as (
    select
        *,
        'email' as identifier_type,
        email_match_key as identifier,
        'email' as channel
    from answers
    where email_is_valid
    union all
    select
        *,
        'phone' as identifier_type,
        phone_e164 as identifier,
        'phone' as channel
    from answers
    where phone_is_valid and purpose != 'email_marketing'
),

crm_records as (
    select * from {{ ref('int_crm_contacts_unioned') }}
    where (email_opted_out or do_not_call)
    {%- if is_incremental() %}
        and extracted_at > {{ since }}
    {%- endif %}
),

crm_identifiers as (
    select
        crm.source_record_key,
        'email_marketing' as purpose,
        'email' as identifier_type,
        emails.email_match_key as identifier
    from crm_records as crm
    inner join {{ ref('stg_enrichment__emails') }} as emails on crm.email_raw = emails.email_raw
    where crm.email_opted_out and emails.email_is_valid
    union all
    select
        crm.source_record_key,
        'sales_contact' as purpose,
        'phone' as identifier_type,
        phones.phone_e164 as identifier
    from crm_records as crm
    inner join {{ ref('stg_enrichment__phones') }} as phones
        on crm.phone_raw = phones.phone_raw and crm.phone_region = phones.default_region
    where crm.do_not_call and phones.phone_is_valid
),

crm_opt_outs as (
    select
        crm.source_record_key,
        crm.platform,
        null::varchar as form_id,
        null::varchar as campaign_id,
        null::varchar as capture_url,
        crm.crm_modified_at as captured_at,
        opted_out.purpose,
        false as granted,
        opted_out.identifier_type,
        opted_out.identifier,
        opted_out.identifier_type as channel
    from crm_identifiers as opted_out
    inner join crm_records as crm on opted_out.source_record_key = crm.source_record_key
),

events as (
    select
        source_record_key,
        platform,
        form_id,
        campaign_id,
        capture_url,
        captured_at,
        purpose,
        granted,
        identifier_type,
        identifier,
        channel,
        md5(source_record_key || '|' || purpose || '|' || identifier_type) as consent_event_id
    from form_events
    union all by name
    select
        crm.* exclude (captured_at),
        {%- if is_incremental() %}
            coalesce(seen.event_at, crm.captured_at) as captured_at
        {%- else %}
            crm.captured_at
        {%- endif %}
    from (
        select
            *,
            md5(
                source_record_key || '|' || purpose || '|' || identifier_type || '|' || identifier
            ) as consent_event_id
        from crm_opt_outs
    ) as crm
    {%- if is_incremental() %}
        left join {{ this }} as seen on crm.consent_event_id = seen.consent_event_id
    {%- endif %}
),

imports as (
    select source_record_key, lawful_basis from {{ ref('stg_imports__rows') }}
),

wordings as (
    select * from {{ ref('consent_wordings') }}
),

worded as (
    select
        events.*,
        wordings.wording_version
    from events
    left join wordings
        on
            events.platform = wordings.platform
            and events.purpose = wordings.purpose
            and (wordings.form_id is null or wordings.form_id = events.form_id)
            and wordings.valid_from <= events.captured_at
    qualify row_number() over (
        partition by events.consent_event_id
        order by wordings.form_id is null, wordings.valid_from desc
    ) = 1
)

select
    worded.source_record_key,
    worded.identifier_type,
    worded.identifier,
    worded.purpose,
    worded.channel,
    coalesce(imports.lawful_basis, 'consent') as lawful_basis,
    worded.platform as capture_platform,
    worded.form_id as capture_form_id,
    worded.campaign_id as capture_campaign_id,
    worded.capture_url,
    worded.wording_version,
    worded.captured_at as event_at,
    worded.consent_event_id,
    case when worded.granted then 'granted' else 'denied' end as status,
    {{ batch_at() }} as batch_at
from worded
left join imports on worded.source_record_key = imports.source_record_key
