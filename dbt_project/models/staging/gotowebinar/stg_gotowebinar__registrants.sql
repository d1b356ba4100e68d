with

parsed as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        {{ malformed_payload(required={"$.email": "VARCHAR"}) }} as payload_problem,
        from_json(
            payload,
            '{"email": "VARCHAR", "firstName": "VARCHAR", "lastName": "VARCHAR",
              "registrationDate": "VARCHAR", "status": "VARCHAR"}'
        ) as registrant
    from {{ source('gotowebinar', 'gotowebinar_registrants') }}
)

select
    _source || ':' || _record_id as source_record_key,
    'gotowebinar' as platform,
    _source as source,
    _record_id as record_id,
    split_part(_source, '/', 2) as form_id,
    split_part(_source, '/', 2) as campaign_id,
    'Webinar ' || split_part(_source, '/', 2) as campaign_name,
    null::varchar as ad_id,
    registrant.registrationdate::timestamptz as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    {{ nullif_blank('registrant.firstname') }} as first_name,
    {{ nullif_blank('registrant.lastname') }} as last_name,
    {{ nullif_blank('registrant.email') }} as email_raw,
    null::varchar as phone_raw,
    null::varchar as company,
    null::varchar as job_title,
    null::varchar as country_raw,
    null::boolean as consent_sales_contact,
    null::boolean as consent_email_marketing,
    false as is_hand_raiser,
    false as is_test,
    'gotowebinar' as source_key,
    'webinar_registration' as touchpoint_type,
    'gotowebinar_registrant:' || _record_id as link_key,
    payload_problem as source_problem
from parsed
