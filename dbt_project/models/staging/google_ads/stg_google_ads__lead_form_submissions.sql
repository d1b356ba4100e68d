with

source as (
    select * from {{ source('google_ads', 'google_ads_lead_form_submissions') }}
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
    list_concat(
        list_transform(
            lead.leadformsubmissionfields,
            lambda f: {{ answer('f.fieldtype', "'standard'", 'f.fieldvalue') }}
        ),
        list_transform(
            lead.customleadformsubmissionfields,
            lambda c: {{ answer('c.questiontext', "'custom'", 'c.fieldvalue') }}
        )
    ) as answers,
    false as is_hand_raiser,
    false as is_test,
    'google_ads' as source_key,
    'ad_lead_form' as touchpoint_type,
    null::varchar as link_key,
    payload_problem as source_problem
from parsed
