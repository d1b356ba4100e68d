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
            '{"email": "VARCHAR", "firstName": "VARCHAR", "lastName": "VARCHAR",
              "registrantKey": "VARCHAR", "attendance": [{"joinTime": "VARCHAR"}]}'
        ) as attendee
    from {{ source('gotowebinar', 'gotowebinar_attendees') }}
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
    list_min(list_transform(attendee.attendance, lambda a: a.jointime::timestamptz))
        as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    {{ answers({
        'firstName': 'attendee.firstname', 'lastName': 'attendee.lastname',
        'email': 'attendee.email'}) }} as answers,
    false as is_hand_raiser,
    false as is_test,
    'gotowebinar' as source_key,
    'webinar_attendance' as touchpoint_type,
    'gotowebinar_registrant:' || {{ nullif_blank('attendee.registrantkey') }} as link_key,
    payload_problem as source_problem
from parsed
