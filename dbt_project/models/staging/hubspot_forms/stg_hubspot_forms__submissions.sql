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
        map_from_entries(
            list_transform(submission.values, lambda v: { 'k': v.name, 'v': v.value })
        ) as fields,
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
    {{ nullif_blank("fields['firstname']") }} as first_name,
    {{ nullif_blank("fields['lastname']") }} as last_name,
    {{ nullif_blank("fields['email']") }} as email_raw,
    {{ nullif_blank("fields['phone']") }} as phone_raw,
    {{ nullif_blank("fields['company']") }} as company,
    {{ nullif_blank("fields['jobtitle']") }} as job_title,
    {{ nullif_blank("fields['country']") }} as country_raw,
    {{ nullif_blank("fields['message']") }} as message,
    {{ as_consent("fields['consent_sales_contact']") }} as consent_sales_contact,
    {{ as_consent("fields['consent_newsletter']") }} as consent_email_marketing,
    coalesce(fields['how_can_we_help'] in ('Talk to sales', 'Request a demo'), false)
        as is_hand_raiser,
    false as is_test,
    'hubspot_forms' || coalesce(':' || lower(utm_source), '') as source_key,
    'form_fill' as touchpoint_type,
    null::varchar as link_key,
    payload_problem as source_problem
from keyed
