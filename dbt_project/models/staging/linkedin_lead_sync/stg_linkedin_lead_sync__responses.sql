-- A response counts as extracted again when its form's definition changes (its questions map
-- answers to fields).

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
                             "answerDetails": {"textQuestionAnswer": {"answer": "VARCHAR"}}}],
                "consentResponses": [{"consentId": "BIGINT", "accepted": "BOOLEAN"}]}}'
        ) as response
    from {{ source('linkedin_lead_sync', 'linkedin_lead_form_responses') }}
),

forms as (
    select
        _record_id as form_id,
        _extracted_at as defined_at,
        from_json(
            payload,
            '{"content": {"questions": [{"questionId": "BIGINT", "predefinedField": "VARCHAR"}]}}'
        ).content.questions as questions
    from {{ source('linkedin_lead_sync', 'linkedin_lead_forms') }}
),

consent_ids as (
    {{ form_question_lists('linkedin_lead_sync') }}
),

keyed as (
    select
        responses.*,
        regexp_extract(response.versionedleadgenformurn, 'urn:li:leadGenForm:(\d+)', 1) as form_id,
        map_from_entries(
            list_transform(
                response.formresponse.answers,
                lambda a: { 'k': a.questionid, 'v': a.answerdetails.textquestionanswer.answer }
            )
        ) as answers,
        list_filter(
            response.formresponse.consentresponses,
            lambda c: list_contains(consent_ids.sales, c.consentid::varchar)
        )[1].accepted as consent_sales_contact,
        list_filter(
            response.formresponse.consentresponses,
            lambda c: list_contains(consent_ids.marketing, c.consentid::varchar)
        )[1].accepted as consent_email_marketing
    from responses
    cross join consent_ids
),

fields as (
    select
        keyed.*,
        forms.defined_at,
        map_from_entries(
            list_transform(
                forms.questions,
                lambda q: { 'k': q.predefinedfield, 'v': keyed.answers[q.questionid] }
            )
        ) as field
    from keyed
    left join forms on keyed.form_id = forms.form_id
)

select
    _source || ':' || _record_id as source_record_key,
    'linkedin_lead_sync' as platform,
    _source as source,
    _record_id as record_id,
    form_id,
    response.leadmetadata.sponsoredleadmetadata.campaign as campaign_id,
    response.leadmetadata.sponsoredleadmetadata.campaign as campaign_name,
    null::varchar as ad_id,
    to_timestamp(response.submittedat / 1000) as captured_at,
    _first_seen_at as first_seen_at,
    greatest(_extracted_at, defined_at) as extracted_at,
    {{ nullif_blank("field['FIRST_NAME']") }} as first_name,
    {{ nullif_blank("field['LAST_NAME']") }} as last_name,
    {{ nullif_blank("field['EMAIL']") }} as email_raw,
    {{ nullif_blank("field['PHONE_NUMBER']") }} as phone_raw,
    {{ nullif_blank("field['COMPANY_NAME']") }} as company,
    {{ nullif_blank("field['JOB_TITLE']") }} as job_title,
    {{ nullif_blank("field['COUNTRY']") }} as country_raw,
    consent_sales_contact,
    consent_email_marketing,
    false as is_hand_raiser,
    coalesce(response.testlead, false) as is_test,
    'linkedin_lead_sync' as source_key,
    'ad_lead_form' as touchpoint_type,
    null::varchar as link_key,
    payload_problem as source_problem
from fields
