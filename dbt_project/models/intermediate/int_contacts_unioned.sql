{{ config(
    tags=["pre_enrichment"],
    unique_key="source_record_key",
) }}

-- Every staged contact record in one shape. Incremental: only the records landed or changed
-- since the last build (raw `_extracted_at`) are read and replaced.

{%- set columns = [
    "source_record_key", "platform", "source", "record_id", "form_id", "campaign_id",
    "campaign_name", "ad_id", "captured_at", "first_seen_at", "extracted_at", "first_name",
    "last_name", "email_raw", "phone_raw", "company", "job_title", "country_raw",
    "consent_sales_contact", "consent_email_marketing", "is_hand_raiser", "is_test", "source_key",
    "touchpoint_type", "link_key", "source_problem",
] %}

{%- set staging_models = [
    "stg_meta_lead_ads__leads", "stg_typeform__responses", "stg_hubspot_forms__submissions",
    "stg_linkedin_lead_sync__responses", "stg_google_ads__lead_form_submissions",
    "stg_zoom__registrants", "stg_zoom__participants", "stg_gotowebinar__registrants",
    "stg_gotowebinar__attendees", "stg_tally__submissions", "stg_intercom__contacts",
    "stg_intercom__conversations", "stg_imports__rows",
] %}

{#- Web forms know the page they were filled on (the consent's capture point). -#}
{%- set with_page = ["stg_typeform__responses", "stg_hubspot_forms__submissions"] %}
{#- Forms and lists with a free-text answer (what the person wrote). -#}
{%- set with_message = with_page + ["stg_tally__submissions", "stg_imports__rows"] %}

{%- if is_incremental() %}{% set since = last_built('extracted_at') %}{% endif %}

with

unioned as (
    {%- for model in staging_models %}
        select
            {{ columns | join(", ") }},
            {{ "capture_url" if model in with_page else "null::varchar as capture_url" }},
            {{ "message" if model in with_message else "null::varchar as message" }}
        from {{ ref(model) }}
        {%- if is_incremental() %} where extracted_at > {{ since }}{% endif %}
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
)

select
    *,
    coalesce(country_raw, '{{ var("default_phone_region") }}') as phone_region,
    {{ batch_at() }} as batch_at
from unioned
