with

source as (
    select * from {{ source('meta_lead_ads', 'meta_lead_ads_leads') }}
),

parsed as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        {{ malformed_payload(required={"$.field_data": "ARRAY"}) }} as payload_problem,
        from_json(
            payload,
            '{"id": "VARCHAR", "created_time": "VARCHAR", "ad_id": "VARCHAR",
              "adset_id": "VARCHAR", "campaign_id": "VARCHAR", "campaign_name": "VARCHAR",
              "form_id": "VARCHAR", "is_organic": "BOOLEAN", "platform": "VARCHAR",
              "field_data": [{"name": "VARCHAR", "values": ["VARCHAR"]}],
              "custom_disclaimer_responses": [{"checkbox_key": "VARCHAR", "is_checked": "VARCHAR"}]}'
        ) as lead
    from source
),

keyed as (
    select
        *,
        map_from_entries(
            list_transform(lead.field_data, lambda f: { 'k': f.name, 'v': f['values'][1] })
        ) as fields,
        map_from_entries(
            list_transform(
                lead.custom_disclaimer_responses,
                lambda d: { 'k': d.checkbox_key, 'v': lower(d.is_checked) }
            )
        ) as checkboxes
    from parsed
),

renamed as (
    select
        _source || ':' || _record_id as source_record_key,
        'meta_lead_ads' as platform,
        _source as source,
        _record_id as record_id,
        lead.form_id,
        lead.campaign_id,
        lead.campaign_name,
        lead.ad_id,
        strptime(lead.created_time, '%Y-%m-%dT%H:%M:%S%z') as captured_at,
        _first_seen_at as first_seen_at,
        _extracted_at as extracted_at,
        {{ nullif_blank("fields['first_name']") }} as first_name_raw,
        {{ nullif_blank("fields['last_name']") }} as last_name_raw,
        {{ nullif_blank("fields['full_name']") }} as full_name_raw,
        {{ nullif_blank("fields['email']") }} as email_raw,
        {{ nullif_blank("fields['phone_number']") }} as phone_raw,
        {{ nullif_blank("fields['company_name']") }} as company,
        {{ nullif_blank("fields['job_title']") }} as job_title,
        {{ nullif_blank("fields['country']") }} as country_raw,
        case
            when checkboxes['sales_contact'] in ('1', 'true') then true
            when checkboxes['sales_contact'] in ('0', 'false') then false
        end as consent_sales_contact,
        case
            when checkboxes['newsletter'] in ('1', 'true') then true
            when checkboxes['newsletter'] in ('0', 'false') then false
        end as consent_email_marketing,
        false as is_hand_raiser,
        coalesce(
            list_bool_or(list_transform(map_values(fields), lambda v: v like '<test lead%')),
            false
        ) as is_test,
        'meta_lead_ads' as source_key,
        'ad_lead_form' as touchpoint_type,
        null::varchar as link_key,
        payload_problem as source_problem
    from keyed
)

select
    * exclude (first_name_raw, last_name_raw, full_name_raw),
    coalesce(first_name_raw, {{ first_word('full_name_raw') }}) as first_name,
    coalesce(
        last_name_raw,
        {{ after_first_word('full_name_raw') }}
    ) as last_name
from renamed
