with

source as (
    select * from {{ source('zoom', 'zoom_webinar_registrants') }}
),

questions as (
    {{ form_question_lists('zoom') }}
),

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
              "country": "VARCHAR", "create_time": "VARCHAR",
              "custom_questions": [{"title": "VARCHAR", "value": "VARCHAR"}]}'
        ) as registrant
    from source
),

keyed as (
    select
        parsed.*,
        list_filter(
            registrant.custom_questions, lambda q: list_contains(questions.sales, q.title)
        )[1].value as sales_answer,
        list_filter(
            registrant.custom_questions, lambda q: list_contains(questions.marketing, q.title)
        )[1].value as marketing_answer
    from parsed
    cross join questions
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
    {{ nullif_blank('registrant.first_name') }} as first_name,
    {{ nullif_blank('registrant.last_name') }} as last_name,
    {{ nullif_blank('registrant.email') }} as email_raw,
    {{ nullif_blank('registrant.phone') }} as phone_raw,
    {{ nullif_blank('registrant.org') }} as company,
    {{ nullif_blank('registrant.job_title') }} as job_title,
    {{ nullif_blank('registrant.country') }} as country_raw,
    {{ as_consent("sales_answer") }} as consent_sales_contact,
    {{ as_consent("marketing_answer") }} as consent_email_marketing,
    false as is_hand_raiser,
    false as is_test,
    'zoom' as source_key,
    'webinar_registration' as touchpoint_type,
    'zoom_registrant:' || _record_id as link_key,
    payload_problem as source_problem
from keyed
