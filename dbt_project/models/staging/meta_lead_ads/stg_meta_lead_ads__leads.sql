with

source as (
    select * from {{ source('meta_lead_ads', 'meta_lead_ads_leads') }}
),

parsed as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        {{ malformed_payload(required={"$.field_data": "ARRAY"}) }} as payload_problem,
        from_json(
            payload,
            '{"id": "VARCHAR", "created_time": "VARCHAR", "ad_id": "VARCHAR",
              "adset_id": "VARCHAR", "campaign_id": "VARCHAR", "campaign_name": "VARCHAR",
              "form_id": "VARCHAR", "is_organic": "BOOLEAN", "platform": "VARCHAR",
              "field_data": [{"name": "VARCHAR", "values": ["VARCHAR"]}],
              "custom_disclaimer_responses": [{"checkbox_key": "VARCHAR", "is_checked": "VARCHAR"}]}'
        ) as lead
    from source
)

select
    _source || ':' || _record_id as source_record_key,
    'meta_lead_ads' as platform,
    _source as source,
    _record_id as record_id,
    lead.form_id,
    lead.campaign_id,
    lead.campaign_name,
    lead.ad_id,
    strptime(lead.created_time, '%Y-%m-%dT%H:%M:%S%z') as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    list_concat(
        list_transform(
            lead.field_data,
            lambda f: {{ answer('f.name', "'field'", "array_to_string(f['values'], ', ')") }}
        ),
        list_transform(
            lead.custom_disclaimer_responses,
            lambda d: {{ answer('d.checkbox_key', "'checkbox'", 'd.is_checked') }}
        )
    ) as answers,
    false as is_hand_raiser,
    coalesce(
        list_bool_or(list_transform(lead.field_data, lambda f: f['values'][1] like '<test lead%')),
        false
    ) as is_test,
    'meta_lead_ads' as source_key,
    'ad_lead_form' as touchpoint_type,
    null::varchar as link_key,
    payload_problem as source_problem
from parsed
