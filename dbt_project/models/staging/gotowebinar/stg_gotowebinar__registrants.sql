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
              "registrationDate": "VARCHAR", "status": "VARCHAR",
              "responses": [{"question": "VARCHAR", "answer": "VARCHAR"}]}'
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
    list_concat(
        {{ answers({
            'firstName': 'registrant.firstname', 'lastName': 'registrant.lastname',
            'email': 'registrant.email'}) }},
        list_transform(
            registrant.responses,
            lambda r: {{ answer('r.question', "'custom'", 'r.answer') }}
        )
    ) as answers,
    false as is_hand_raiser,
    false as is_test,
    'gotowebinar' as source_key,
    'webinar_registration' as touchpoint_type,
    'gotowebinar_registrant:' || _record_id as link_key,
    payload_problem as source_problem
from parsed
