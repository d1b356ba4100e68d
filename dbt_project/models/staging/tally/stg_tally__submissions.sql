-- A submission counts as extracted again when its form's questions change (they map answers to
-- fields).

with

submissions as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        split_part(_source, '/', 2) as form_id,
        {{ malformed_payload(required={"$.responses": "ARRAY"}) }} as payload_problem,
        from_json(
            payload,
            '{"submittedAt": "VARCHAR", "responses": [{"questionId": "VARCHAR", "answer": "JSON"}]}'
        ) as submission
    from {{ source('tally', 'tally_submissions') }}
),

questions as (
    select
        split_part(questions._source, '/', 2) as form_id,
        questions._extracted_at as defined_at,
        questions.payload ->> 'id' as question_id,
        case questions.payload ->> 'type'
            when 'INPUT_EMAIL' then 'email'
            when 'INPUT_PHONE_NUMBER' then 'phone'
            else mapped.field
        end as field
    from {{ source('tally', 'tally_questions') }} as questions
    left join {{ ref('form_questions') }} as mapped
        on mapped.platform = 'tally' and questions.payload ->> 'title' = mapped.question
),

forms as (
    select
        form_id,
        max(defined_at) as defined_at
    from questions
    group by form_id
),

answers as (
    select
        submissions._source,
        submissions._record_id,
        submissions.form_id,
        unnest(submission.responses) as response
    from submissions
),

fields as (
    select
        answers._source,
        answers._record_id,
        map_from_entries(
            list({ 'k': questions.field, 'v': json_extract_string(answers.response.answer, '$') })
        ) as answer
    from answers
    inner join questions
        on
            answers.form_id = questions.form_id
            and answers.response.questionid = questions.question_id
    where questions.field is not null
    group by answers._source, answers._record_id
)

select
    submissions._source || ':' || submissions._record_id as source_record_key,
    'tally' as platform,
    submissions._source as source,
    submissions._record_id as record_id,
    submissions.form_id,
    null::varchar as campaign_id,
    null::varchar as campaign_name,
    null::varchar as ad_id,
    submissions.submission.submittedat::timestamptz as captured_at,
    submissions._first_seen_at as first_seen_at,
    greatest(submissions._extracted_at, forms.defined_at) as extracted_at,
    {{ nullif_blank("fields.answer['first_name']") }} as first_name,
    {{ nullif_blank("fields.answer['last_name']") }} as last_name,
    {{ nullif_blank("fields.answer['email']") }} as email_raw,
    {{ nullif_blank("fields.answer['phone']") }} as phone_raw,
    {{ nullif_blank("fields.answer['company']") }} as company,
    {{ nullif_blank("fields.answer['job_title']") }} as job_title,
    {{ nullif_blank("fields.answer['country']") }} as country_raw,
    {{ nullif_blank("fields.answer['message']") }} as message,
    {{ as_consent("fields.answer['consent_sales_contact']") }} as consent_sales_contact,
    {{ as_consent("fields.answer['consent_email_marketing']") }} as consent_email_marketing,
    coalesce({{ as_consent("fields.answer['hand_raiser']") }}, false) as is_hand_raiser,
    false as is_test,
    'tally' as source_key,
    'form_fill' as touchpoint_type,
    null::varchar as link_key,
    payload_problem as source_problem
from submissions
left join fields
    on submissions._source = fields._source and submissions._record_id = fields._record_id
left join forms on submissions.form_id = forms.form_id
