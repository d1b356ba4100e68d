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
            '{"email": "VARCHAR", "first_name": "VARCHAR", "last_name": "VARCHAR",
              "org": "VARCHAR", "job_title": "VARCHAR", "phone": "VARCHAR",
              "country": "VARCHAR", "comments": "VARCHAR", "create_time": "VARCHAR",
              "custom_questions": [{"title": "VARCHAR", "value": "VARCHAR"}]}'
        ) as registrant
    from {{ source('zoom', 'zoom_webinar_registrants') }}
)

select
    _source || ':' || _record_id as source_record_key,
    'zoom' as platform,
    _source as source,
    _record_id as record_id,
    split_part(_source, '/', 2) as form_id,
    split_part(_source, '/', 2) as campaign_id,
    'Webinar ' || split_part(_source, '/', 2) as campaign_name,
    null::varchar as ad_id,
    registrant.create_time::timestamptz as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    list_concat(
        {{ answers({
            'email': 'registrant.email', 'first_name': 'registrant.first_name',
            'last_name': 'registrant.last_name', 'org': 'registrant.org',
            'job_title': 'registrant.job_title', 'phone': 'registrant.phone',
            'country': 'registrant.country', 'comments': 'registrant.comments'}) }},
        list_transform(
            registrant.custom_questions,
            lambda q: {{ answer('q.title', "'custom'", 'q.value') }}
        )
    ) as answers,
    false as is_hand_raiser,
    false as is_test,
    'zoom' as source_key,
    'webinar_registration' as touchpoint_type,
    'zoom_registrant:' || _record_id as link_key,
    payload_problem as source_problem
from parsed
