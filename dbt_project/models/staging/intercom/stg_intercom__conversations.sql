with

parsed as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        {{ malformed_payload(required={"$.source": "OBJECT"}) }} as payload_problem,
        from_json(
            payload,
            '{"created_at": "BIGINT",
              "source": {"body": "VARCHAR", "author": {"email": "VARCHAR"}},
              "contacts": {"contacts": [{"id": "VARCHAR"}]}}'
        ) as conversation
    from {{ source('intercom', 'intercom_conversations') }}
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
    to_timestamp(conversation.created_at) as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    {{ answers({'email': 'conversation.source.author.email'}) }} as answers,
    regexp_matches(
        lower(conversation.source.body), 'démo|demo|talk to sales|sales call|call me'
    ) as is_hand_raiser,
    false as is_test,
    'intercom' as source_key,
    'chatbot_conversation' as touchpoint_type,
    'intercom_contact:' || conversation.contacts.contacts[1].id as link_key,
    payload_problem as source_problem
from parsed
