with

source as (
    select * from {{ source('hubspot_forms', 'hubspot_form_submissions') }}
),

parsed as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        {{ malformed_payload(required={"$.values": "ARRAY"}) }} as payload_problem,
        from_json(
            payload,
            '{"submittedAt": "BIGINT", "pageUrl": "VARCHAR",
              "values": [{"name": "VARCHAR", "value": "VARCHAR"}]}'
        ) as submission
    from source
),

keyed as (
    select
        *,
        nullif(regexp_extract(submission.pageurl, '[?&]utm_source=([^&#]+)', 1), '') as utm_source,
        nullif(regexp_extract(submission.pageurl, '[?&]utm_campaign=([^&#]+)', 1), '')
            as utm_campaign
    from parsed
)

select
    _source || ':' || _record_id as source_record_key,
    'hubspot_forms' as platform,
    _source as source,
    _record_id as record_id,
    split_part(_source, '/', 2) as form_id,
    {{ page_address('submission.pageurl') }} as capture_url,
    utm_campaign as campaign_id,
    utm_campaign as campaign_name,
    null::varchar as ad_id,
    to_timestamp(submission.submittedat / 1000) as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    list_transform(
        submission.values, lambda v: {{ answer('v.name', "'property'", 'v.value') }}
    ) as answers,
    false as is_hand_raiser,
    false as is_test,
    'hubspot_forms' || coalesce(':' || lower(utm_source), '') as source_key,
    'form_fill' as touchpoint_type,
    null::varchar as link_key,
    payload_problem as source_problem
from keyed
