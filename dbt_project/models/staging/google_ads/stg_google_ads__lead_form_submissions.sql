with

source as (
    select * from {{ source('google_ads', 'google_ads_lead_form_submissions') }}
),

questions as (
    {{ form_question_lists('google_ads') }}
),

parsed as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        {{ malformed_payload(required={"$.leadFormSubmissionData": "OBJECT"}) }} as payload_problem,
        from_json(
            payload,
            '{"leadFormSubmissionData": {"campaign": "VARCHAR", "asset": "VARCHAR",
              "submissionDateTime": "VARCHAR",
              "leadFormSubmissionFields": [{"fieldType": "VARCHAR", "fieldValue": "VARCHAR"}],
              "customLeadFormSubmissionFields": [{"questionText": "VARCHAR",
                                                  "fieldValue": "VARCHAR"}]}}'
        ).leadformsubmissiondata as lead
    from source
),

keyed as (
    select
        parsed.*,
        map_from_entries(
            list_transform(
                lead.leadformsubmissionfields, lambda f: { 'k': f.fieldtype, 'v': f.fieldvalue }
            )
        ) as fields,
        list_filter(
            lead.customleadformsubmissionfields,
            lambda c: list_contains(questions.sales, c.questiontext)
        )[1].fieldvalue as sales_answer,
        list_filter(
            lead.customleadformsubmissionfields,
            lambda c: list_contains(questions.marketing, c.questiontext)
        )[1].fieldvalue as marketing_answer
    from parsed
    cross join questions
),

named as (
    select
        *,
        {{ nullif_blank("fields['FULL_NAME']") }} as full_name
    from keyed
)

select
    _source || ':' || _record_id as source_record_key,
    'google_ads' as platform,
    _source as source,
    _record_id as record_id,
    split_part(lead.asset, '/', 4) as form_id,
    split_part(lead.campaign, '/', 4) as campaign_id,
    split_part(lead.campaign, '/', 4) as campaign_name,
    null::varchar as ad_id,
    lead.submissiondatetime::timestamptz as captured_at,
    _first_seen_at as first_seen_at,
    _extracted_at as extracted_at,
    coalesce(
        {{ nullif_blank("fields['FIRST_NAME']") }}, {{ first_word('full_name') }}
    ) as first_name,
    coalesce(
        {{ nullif_blank("fields['LAST_NAME']") }},
        {{ after_first_word('full_name') }}
    ) as last_name,
    {{ nullif_blank("fields['EMAIL']") }} as email_raw,
    {{ nullif_blank("fields['PHONE_NUMBER']") }} as phone_raw,
    {{ nullif_blank("fields['COMPANY_NAME']") }} as company,
    {{ nullif_blank("fields['JOB_TITLE']") }} as job_title,
    {{ nullif_blank("fields['COUNTRY']") }} as country_raw,
    {{ as_consent("sales_answer") }} as consent_sales_contact,
    {{ as_consent("marketing_answer") }} as consent_email_marketing,
    false as is_hand_raiser,
    false as is_test,
    'google_ads' as source_key,
    'ad_lead_form' as touchpoint_type,
    null::varchar as link_key,
    payload_problem as source_problem
from named
