-- A response counts as extracted again when its form's definition changes (it names the
-- standard field each question asks for).

with

responses as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        {{ malformed_payload(required={"$.formResponse": "OBJECT"}) }} as payload_problem,
        from_json(
            payload,
            '{"submittedAt": "BIGINT", "testLead": "BOOLEAN", "versionedLeadGenFormUrn": "VARCHAR",
              "leadMetadata": {"sponsoredLeadMetadata": {"campaign": "VARCHAR"}},
              "formResponse": {
                "answers": [{"questionId": "BIGINT",
                             "answerDetails": {"textQuestionAnswer": {"answer": "VARCHAR"},
                                               "multipleChoiceAnswer": {"options": ["BIGINT"]}}}],
                "consentResponses": [{"consentId": "BIGINT", "accepted": "BOOLEAN"}]}}'
        ) as response
    from {{ source('linkedin_lead_sync', 'linkedin_lead_form_responses') }}
),

forms as (
    select
        _record_id as form_id,
        _extracted_at as defined_at,
        map_from_entries(
            list_transform(
                from_json(
                    payload,
                    '{"content": {"questions": [{"questionId": "BIGINT",
                                                 "predefinedField": "VARCHAR"}]}}'
                ).content.questions,
                lambda q: { 'k': q.questionid, 'v': q.predefinedfield }
            )
        ) as predefined
    from {{ source('linkedin_lead_sync', 'linkedin_lead_forms') }}
),

keyed as (
    select
        responses.*,
        regexp_extract(response.versionedleadgenformurn, 'urn:li:leadGenForm:(\d+)', 1) as form_id
    from responses
)

select
    keyed._source || ':' || keyed._record_id as source_record_key,
    'linkedin_lead_sync' as platform,
    keyed._source as source,
    keyed._record_id as record_id,
    keyed.form_id,
    keyed.response.leadmetadata.sponsoredleadmetadata.campaign as campaign_id,
    keyed.response.leadmetadata.sponsoredleadmetadata.campaign as campaign_name,
    null::varchar as ad_id,
    to_timestamp(keyed.response.submittedat / 1000) as captured_at,
    keyed._first_seen_at as first_seen_at,
    greatest(keyed._extracted_at, forms.defined_at) as extracted_at,
    list_concat(
        list_transform(
            keyed.response.formresponse.answers,
            lambda a: {{ answer(
                'coalesce(forms.predefined[a.questionid], a.questionid::varchar)',
                "case when forms.predefined[a.questionid] is null then 'custom'
                    else 'predefined' end",
                "coalesce(a.answerdetails.textquestionanswer.answer,
                    array_to_string(a.answerdetails.multiplechoiceanswer.options, ', '))"
            ) }}
        ),
        list_transform(
            keyed.response.formresponse.consentresponses,
            lambda c: {{ answer('c.consentid', "'consent'", 'c.accepted') }}
        )
    ) as answers,
    false as is_hand_raiser,
    coalesce(keyed.response.testlead, false) as is_test,
    'linkedin_lead_sync' as source_key,
    'ad_lead_form' as touchpoint_type,
    null::varchar as link_key,
    keyed.payload_problem as source_problem
from keyed
left join forms on keyed.form_id = forms.form_id
