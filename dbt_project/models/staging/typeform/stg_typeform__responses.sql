with

source as (
    select * from {{ source('typeform', 'typeform_responses') }}
),

parsed as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        {{ malformed_payload(required={"$.answers": "ARRAY"}) }} as payload_problem,
        from_json(
            payload,
            '{"token": "VARCHAR", "submitted_at": "VARCHAR", "landed_at": "VARCHAR",
              "hidden": {"utm_source": "VARCHAR", "utm_campaign": "VARCHAR"},
              "metadata": {"referer": "VARCHAR"},
              "answers": [{"field": {"id": "VARCHAR", "ref": "VARCHAR", "type": "VARCHAR"},
                           "text": "VARCHAR", "email": "VARCHAR", "phone_number": "VARCHAR",
                           "boolean": "BOOLEAN", "number": "DOUBLE", "date": "VARCHAR",
                           "url": "VARCHAR", "choice": {"label": "VARCHAR"},
                           "choices": {"labels": ["VARCHAR"]}}]}'
        ) as response
    from source
)

select
    _source || ':' || _record_id as source_record_key,
    'typeform' as platform,
    _source as source,
    _record_id as record_id,
    split_part(_source, '/', 2) as form_id,
    {{ page_address('response.metadata.referer') }} as capture_url,
    response.hidden.utm_campaign as campaign_id,
    response.hidden.utm_campaign as campaign_name,
    null::varchar as ad_id,
    coalesce(response.submitted_at, response.landed_at)::timestamptz as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    list_transform(
        response.answers,
        lambda a: {{ answer(
            'coalesce(a.field.ref, a.field.id)',
            'a.field.type',
            "coalesce(a.text, a.email, a.phone_number, a.boolean::varchar, a.number::varchar,
                a.date, a.url, a.choice.label, array_to_string(a.choices.labels, ', '))"
        ) }}
    ) as answers,
    response.submitted_at is null as is_partial,
    false as is_hand_raiser,
    false as is_test,
    'typeform'
    || coalesce(':' || lower({{ nullif_blank('response.hidden.utm_source') }}), '') as source_key,
    'form_fill' as touchpoint_type,
    null::varchar as link_key,
    payload_problem as source_problem
from parsed
