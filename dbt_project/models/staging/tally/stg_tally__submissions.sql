-- A submission counts as extracted again when its form's questions change (they name the
-- answers).

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
            '{"submittedAt": "VARCHAR", "isCompleted": "BOOLEAN",
              "responses": [{"questionId": "VARCHAR", "answer": "JSON"}]}'
        ) as submission
    from {{ source('tally', 'tally_submissions') }}
),

questions as (
    select
        split_part(_source, '/', 2) as form_id,
        _extracted_at as defined_at,
        payload ->> 'id' as question_id,
        payload ->> 'title' as title,
        payload ->> 'type' as question_type
    from {{ source('tally', 'tally_questions') }}
),

forms as (
    select
        form_id,
        max(defined_at) as defined_at
    from questions
    group by form_id
),

responses as (
    select
        _source,
        _record_id,
        form_id,
        unnest(submission.responses) as response
    from submissions
),

answered as (
    select
        responses._source,
        responses._record_id,
        list(
            {{ answer(
                'coalesce(questions.title, responses.response.questionid)',
                'questions.question_type',
                "json_extract_string(responses.response.answer, '$')"
            ) }}
        ) as answers
    from responses
    left join questions
        on
            responses.form_id = questions.form_id
            and responses.response.questionid = questions.question_id
    group by responses._source, responses._record_id
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
    coalesce(answered.answers, []) as answers,
    not coalesce(submissions.submission.iscompleted, true) as is_partial,
    false as is_hand_raiser,
    false as is_test,
    'tally' as source_key,
    'form_fill' as touchpoint_type,
    null::varchar as link_key,
    submissions.payload_problem as source_problem
from submissions
left join answered
    on submissions._source = answered._source and submissions._record_id = answered._record_id
left join forms on submissions.form_id = forms.form_id
