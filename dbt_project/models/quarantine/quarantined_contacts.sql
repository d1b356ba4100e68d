-- Records refused by a record-level rule, with the reason and the raw record as delivered.
-- Fix the cause upstream (or accept the source in seeds/lead_sources.csv) and they flow again.

with

refused as (
    select
        source_record_key,
        platform,
        source,
        record_id,
        captured_at,
        quarantine_reason
    from {{ ref('int_contacts_enriched') }}
    where quarantine_reason is not null
),

{%- set raw_tables = [
    ("meta_lead_ads", "meta_lead_ads_leads"),
    ("typeform", "typeform_responses"),
    ("hubspot_forms", "hubspot_form_submissions"),
    ("linkedin_lead_sync", "linkedin_lead_form_responses"),
    ("google_ads", "google_ads_lead_form_submissions"),
    ("zoom", "zoom_webinar_registrants"),
    ("zoom", "zoom_webinar_participants"),
    ("gotowebinar", "gotowebinar_registrants"),
    ("gotowebinar", "gotowebinar_attendees"),
    ("tally", "tally_submissions"),
    ("intercom", "intercom_contacts"),
    ("intercom", "intercom_conversations"),
    ("imports", "import_rows"),
] %}

raw_records as (
    {%- for source_name, table in raw_tables %}
        select
            _source,
            _record_id,
            payload,
            _extracted_at
        from {{ source(source_name, table) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select
    refused.*,
    raw_records.payload as raw_record,
    raw_records._extracted_at as extracted_at
from refused
left join raw_records
    on refused.source = raw_records._source and refused.record_id = raw_records._record_id
