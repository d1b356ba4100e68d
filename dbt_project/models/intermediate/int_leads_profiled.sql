-- One row per person: the surviving value of each attribute (int_lead_attributes_survived)
-- with what enrichment knows of it, B2B or B2C, where the person came from, what they did, and
-- their current consent, per configured purpose, for the email they would be contacted on.
-- Incremental: only the people resolved or survived again since the last build, and those whose
-- email's consent changed.

{{ config(
    unique_key="lead_id",
    post_hook="{{ delete_missing('lead_id', 'select lead_id from ' ~ ref('int_leads_resolved')) }}",
) }}

{%- if is_incremental() %}{% set since = last_built() %}{% endif %}

with

resolved as (
    select * from {{ ref('int_leads_resolved') }}
    {%- if is_incremental() %}
        where lead_id in (
            select lead_id from {{ ref('int_leads_resolved') }} where batch_at > {{ since }}
            union
            select lead_id from {{ ref('int_lead_attributes_survived') }}
            where batch_at > {{ since }}
            union
            select lead_id from {{ this }}
            where email_match_key in (
                select identifier from {{ ref('consent_current') }}
                where identifier_type = 'email' and batch_at > {{ since }}
            )
        )
    {%- endif %}
),

contacts as (
    select
        contacts.*,
        resolved.lead_id,
        resolved.needs_review
    from {{ ref('int_contacts_enriched') }} as contacts
    inner join resolved on contacts.source_record_key = resolved.source_record_key
),

survivors as (
    select * from {{ ref('int_lead_attributes_survived') }}
    {%- if is_incremental() %}
        where lead_id in (select lead_id from resolved)
    {%- endif %}
),

best as (
    pivot (select lead_id, attribute, value from survivors)
    on attribute in (
        'email', 'phone_e164', 'first_name', 'last_name', 'company', 'job_title', 'country_code',
        'message'
    )
    using any_value(value)
),

email_details as (
    select
        survivors.lead_id,
        contacts.email_match_key,
        contacts.email_domain,
        contacts.company_domain,
        contacts.is_free_mail,
        contacts.is_disposable,
        contacts.is_role_address
    from survivors
    inner join contacts on survivors.source_record_key = contacts.source_record_key
    where survivors.attribute = 'email'
),

title_details as (
    select
        survivors.lead_id,
        coalesce(contacts.seniority, provided.seniority) as seniority,
        coalesce(contacts.department, provided.department) as department,
        coalesce(
            contacts.is_student_or_job_seeker,
            provided.seniority in ('student', 'job_seeker'),
            false
        ) as is_student_or_job_seeker
    from survivors
    left join contacts on survivors.source_record_key = contacts.source_record_key
    left join {{ ref('stg_enrichment__provider_values') }} as provided
        on survivors.source_record_key = provided.source_record_key
    where survivors.attribute = 'job_title'
),

custom_attributes as (  -- each custom answer's latest value (attribute:<name> in the mapping)
    select
        lead_id,
        map_from_entries(list({ 'k': name, 'v': value } order by name)) as attributes
    from (
        select
            lead_id,
            attribute.name,
            arg_max(attribute.value, (captured_at, source_record_key)) as value
        from (
            select
                lead_id,
                captured_at,
                source_record_key,
                unnest(attributes) as attribute
            from contacts
        ) as answered
        group by lead_id, attribute.name
    ) as latest
    group by lead_id
),

activity as (
    select
        lead_id,
        -- the first touchpoint; records captured the same second (a chatbot lead and its
        -- conversation) are told apart by their key, so every build picks the same one
        arg_min(platform, (captured_at, source_record_key)) as first_platform,
        arg_min(channel, (captured_at, source_record_key)) as first_channel,
        arg_min(source, (captured_at, source_record_key)) as first_source,
        arg_min(direction, (captured_at, source_record_key)) as first_direction,
        min(captured_at) as first_captured_at,
        max(captured_at) as last_captured_at,
        min(first_seen_at) as first_seen_at,
        count(*) as source_records,
        count(distinct platform) as platform_count,
        count(*) filter (where touchpoint_type = 'form_fill') as form_fills,
        count(*) filter (where touchpoint_type = 'ad_lead_form') as ad_lead_forms,
        count(*) filter (where touchpoint_type = 'webinar_registration') as webinar_registrations,
        count(*) filter (where touchpoint_type = 'webinar_attendance') as webinar_attendances,
        count(*) filter (where touchpoint_type = 'chatbot_conversation')
            as chatbot_conversations,
        bool_or(is_hand_raiser) as is_hand_raiser,
        bool_or(needs_review) as identity_needs_review
    from contacts
    group by lead_id
),

competitors as (
    select * from {{ ref('competitor_domains') }}
),

consent as (
    select * from {{ ref('consent_current') }}
    where identifier_type = 'email' and channel = 'email'
),

ever_granted_marketing as (
    select distinct identifier from {{ ref('int_consent_events') }}
    where identifier_type = 'email' and purpose = 'email_marketing' and status = 'granted'
),

by_purpose as (  -- each email's current consent per configured purpose, in columns
    select
        consent.identifier,
        {%- for purpose in var('consent_purposes') %}
            any_value(consent.status) filter (where consent.purpose = '{{ purpose }}')
                as consent_{{ purpose }},
            any_value(consent.status_at) filter (where consent.purpose = '{{ purpose }}')
                as consent_{{ purpose }}_at,
            any_value(consent.capture_platform) filter (where consent.purpose = '{{ purpose }}')
                as consent_{{ purpose }}_source,
        {%- endfor %}
        bool_or(
            consent.purpose = 'email_marketing'
            and consent.status = 'denied'
            and granted.identifier is not null
        ) as has_unsubscribed
    from consent
    left join ever_granted_marketing as granted on consent.identifier = granted.identifier
    group by consent.identifier
),

profiles as (
    select
        activity.lead_id,
        best.email,
        email_details.email_match_key,
        email_details.email_domain,
        email_details.company_domain,
        coalesce(email_details.is_free_mail, false) as is_free_mail,
        coalesce(email_details.is_disposable, false) as is_disposable,
        coalesce(email_details.is_role_address, false) as is_role_address,
        best.phone_e164,
        best.first_name,
        best.last_name,
        best.company,
        best.job_title,
        title_details.seniority,
        title_details.department,
        coalesce(title_details.is_student_or_job_seeker, false) as is_student_or_job_seeker,
        best.country_code,
        best.message,
        case
            when best.company is not null or email_details.company_domain is not null
                then 'b2b'
            else 'b2c'
        end as customer_type,
        competitors.domain is not null as is_competitor,
        custom_attributes.attributes,
        activity.* exclude (lead_id)
    from activity
    left join best on activity.lead_id = best.lead_id
    left join email_details on activity.lead_id = email_details.lead_id
    left join title_details on activity.lead_id = title_details.lead_id
    left join competitors on email_details.company_domain = competitors.domain
    left join custom_attributes on activity.lead_id = custom_attributes.lead_id
)

select
    profiles.*,
    {%- for purpose in var('consent_purposes') %}
        by_purpose.consent_{{ purpose }}_at,
        by_purpose.consent_{{ purpose }}_source,
        coalesce(by_purpose.consent_{{ purpose }}, 'unknown') as consent_{{ purpose }},
    {%- endfor %}
    coalesce(by_purpose.has_unsubscribed, false) as has_unsubscribed,
    {{ batch_at() }} as batch_at
from profiles
left join by_purpose on profiles.email_match_key = by_purpose.identifier
