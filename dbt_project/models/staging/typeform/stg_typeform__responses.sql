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
              "answers": [{"field": {"ref": "VARCHAR"}, "text": "VARCHAR", "email": "VARCHAR",
                           "phone_number": "VARCHAR", "boolean": "BOOLEAN", "number": "DOUBLE",
                           "date": "VARCHAR", "choice": {"label": "VARCHAR"}}]}'
        ) as response
    from source
),

keyed as (
    select
        *,
        map_from_entries(
            list_transform(
                response.answers,
                lambda a: {
                    'k': a.field.ref,
                    'v': coalesce(
                        a.text, a.email, a.phone_number, a.boolean::varchar,
                        a.number::varchar, a.date, a.choice.label
                    )
                }
            )
        ) as answers
    from parsed
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
    {{ nullif_blank("answers['email']") }} as email_raw,
    {{ nullif_blank("answers['phone']") }} as phone_raw,
    {{ nullif_blank("answers['company']") }} as company,
    {{ nullif_blank("answers['job_title']") }} as job_title,
    {{ nullif_blank("answers['country']") }} as country_raw,
    {{ nullif_blank("answers['message']") }} as message,
    answers['consent_sales_contact']::boolean as consent_sales_contact,
    answers['consent_newsletter']::boolean as consent_email_marketing,
    coalesce(answers['intent'] = 'Request a demo', false) as is_hand_raiser,
    false as is_test,
    'typeform'
    || coalesce(':' || lower({{ nullif_blank('response.hidden.utm_source') }}), '') as source_key,
    {{ nullif_blank("answers['first_name']") }} as first_name,
    {{ nullif_blank("answers['last_name']") }} as last_name,
    'form_fill' as touchpoint_type,
    null::varchar as link_key,
    payload_problem as source_problem
from keyed
