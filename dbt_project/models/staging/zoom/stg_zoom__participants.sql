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
            '{"name": "VARCHAR", "user_email": "VARCHAR", "registrant_id": "VARCHAR",
              "join_time": "VARCHAR", "duration": "BIGINT"}'
        ) as participant
    from {{ source('zoom', 'zoom_webinar_participants') }}
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
    participant.join_time::timestamptz as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    {{ answers({'name': 'participant.name', 'user_email': 'participant.user_email'}) }} as answers,
    false as is_hand_raiser,
    false as is_test,
    'zoom' as source_key,
    'webinar_attendance' as touchpoint_type,
    'zoom_registrant:' || {{ nullif_blank('participant.registrant_id') }} as link_key,
    payload_problem as source_problem
from parsed
