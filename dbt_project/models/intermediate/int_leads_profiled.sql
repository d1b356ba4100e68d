-- One row per person: the best value of each attribute (the most recent given), where the
-- person came from, and their current consent for the email they would be contacted on.

with

contacts as (
    select
        contacts.*,
        crosswalk.lead_id
    from {{ ref('int_contacts_enriched') }} as contacts
    inner join {{ ref('int_leads_resolved') }} as crosswalk
        on contacts.source_record_key = crosswalk.source_record_key
),

consent as (
    select * from {{ ref('consent_current') }}
    where identifier_type = 'email' and channel = 'email'
),

profiles as (
    select
        lead_id,
        arg_max(email, captured_at) filter (where email_is_valid) as email,
        arg_max(email_match_key, captured_at) filter (where email_is_valid) as email_match_key,
        arg_max(email_domain, captured_at) filter (where email_is_valid) as email_domain,
        arg_max(is_free_mail, captured_at) filter (where email_is_valid) as is_free_mail,
        arg_max(is_disposable, captured_at) filter (where email_is_valid) as is_disposable,
        arg_max(phone_e164, captured_at) filter (where phone_is_valid) as phone_e164,
        arg_max(first_name, captured_at) filter (where first_name is not null) as first_name,
        arg_max(last_name, captured_at) filter (where last_name is not null) as last_name,
        arg_max(company, captured_at) filter (where company is not null) as company,
        arg_max(job_title, captured_at) filter (where job_title is not null) as job_title,
        arg_max(country_code, captured_at) filter (where country_code is not null)
            as country_code,
        arg_min(platform, captured_at) as first_platform,
        arg_min(channel, captured_at) as first_channel,
        arg_min(source, captured_at) as first_source,
        arg_min(direction, captured_at) as first_direction,
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
        bool_or(is_hand_raiser) as is_hand_raiser
    from contacts
    group by lead_id
)

select
    profiles.*,
    sales.status_at as consent_sales_contact_at,
    sales.capture_platform as consent_sales_contact_source,
    marketing.status_at as consent_email_marketing_at,
    coalesce(sales.status, 'unknown') as consent_sales_contact,
    coalesce(marketing.status, 'unknown') as consent_email_marketing
from profiles
left join consent as sales
    on profiles.email_match_key = sales.identifier and sales.purpose = 'sales_contact'
left join consent as marketing
    on profiles.email_match_key = marketing.identifier and marketing.purpose = 'email_marketing'
