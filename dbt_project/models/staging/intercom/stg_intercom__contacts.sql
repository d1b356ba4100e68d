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
              "custom_attributes": "MAP(VARCHAR, VARCHAR)"}'
        ) as contact
    from {{ source('intercom', 'intercom_contacts') }}
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
    list_concat(
        {{ answers({
            'name': 'contact.name', 'email': 'contact.email', 'phone': 'contact.phone',
            'country_code': 'contact.location.country_code',
            'subscribed_to_emails': "case when contact.unsubscribed_from_emails then 'no' end"}) }},
        list_transform(
            map_entries(contact.custom_attributes),
            lambda a: {{ answer('a.key', "'custom_attribute'", 'a.value') }}
        )
    ) as answers,
    false as is_hand_raiser,
    false as is_test,
    'intercom' as source_key,
    'chatbot_lead' as touchpoint_type,
    'intercom_contact:' || _record_id as link_key,
    payload_problem as source_problem
from parsed
