with

parsed as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        {{ malformed_payload() }} as payload_problem,
        from_json(
            payload,
            '{"name": "VARCHAR", "email": "VARCHAR", "phone": "VARCHAR", "created_at": "BIGINT",
              "unsubscribed_from_emails": "BOOLEAN", "location": {"country_code": "VARCHAR"},
              "custom_attributes": {"company": "VARCHAR", "job_title": "VARCHAR",
                                    "consent_sales_contact": "VARCHAR"}}'
        ) as contact
    from {{ source('intercom', 'intercom_contacts') }}
),

named as (
    select
        *,
        {{ nullif_blank('contact.name') }} as full_name
    from parsed
)

select
    _source || ':' || _record_id as source_record_key,
    'intercom' as platform,
    _source as source,
    _record_id as record_id,
    'chatbot' as form_id,
    null::varchar as campaign_id,
    null::varchar as campaign_name,
    null::varchar as ad_id,
    to_timestamp(contact.created_at) as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    {{ first_word('full_name') }} as first_name,
    {{ after_first_word('full_name') }} as last_name,
    {{ nullif_blank('contact.email') }} as email_raw,
    {{ nullif_blank('contact.phone') }} as phone_raw,
    {{ nullif_blank('contact.custom_attributes.company') }} as company,
    {{ nullif_blank('contact.custom_attributes.job_title') }} as job_title,
    {{ nullif_blank('contact.location.country_code') }} as country_raw,
    {{ as_consent('contact.custom_attributes.consent_sales_contact') }} as consent_sales_contact,
    case when contact.unsubscribed_from_emails then false end as consent_email_marketing,
    false as is_hand_raiser,
    false as is_test,
    'intercom' as source_key,
    'chatbot_lead' as touchpoint_type,
    'intercom_contact:' || _record_id as link_key,
    payload_problem as source_problem
from named
