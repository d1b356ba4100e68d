{{ config(
    tags=["pre_enrichment"],
    unique_key="source_record_key",
) }}

-- Every staged contact record in one shape, its answers read through the field mapping: each
-- answer takes the meaning its form's mapping gives its question (leadpipe.yml, else the
-- platform's standard field). Consent answers become (purpose, granted) pairs, except in an
-- unfinished response, which gives or withdraws nothing. Placeholders typed for "nothing"
-- (N/A, -, aucun) are dropped from profile fields. Answers mapped to `attribute:<name>` are kept
-- as `attributes` (name, value). Questions no mapping names are listed
-- (`unmapped_questions`): never guessed, always reported. Incremental: only the records landed
-- or changed since the last build (raw `_extracted_at`); a changed mapping rebuilds it whole.

{%- set columns = [
    "source_record_key", "platform", "source", "record_id", "form_id", "campaign_id",
    "campaign_name", "ad_id", "captured_at", "first_seen_at", "extracted_at", "answers",
    "is_hand_raiser", "is_test", "source_key", "touchpoint_type", "link_key", "source_problem",
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
{#- Forms whose unfinished responses are delivered too. -#}
{%- set with_partial = ["stg_typeform__responses", "stg_tally__submissions"] %}
{#- Imported lists declare whether they are inbound or outbound. -#}
{%- set with_direction = ["stg_imports__rows"] %}

{%- set profile_fields = [
    "email", "phone", "first_name", "last_name", "full_name", "company", "job_title", "country",
    "message",
] %}

{%- if is_incremental() %}{% set since = last_built('extracted_at') %}{% endif %}

with

unioned as (
    {%- for model in staging_models %}
        select
            {{ columns | join(", ") }},
            {{ "capture_url" if model in with_page else "null::varchar as capture_url" }},
            {{ "is_partial" if model in with_partial else "false as is_partial" }},
            {{ "direction" if model in with_direction else "null::varchar" }} as declared_direction
        from {{ ref(model) }}
        {%- if is_incremental() %} where extracted_at > {{ since }}{% endif %}
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

mappings as (
    {{ field_mappings() }}
),

answers as (
    select
        source_record_key,
        platform,
        form_id,
        position,
        answer.question,
        answer.kind,
        nullif(trim(answer.value), '') as answer_value
    from (
        select
            source_record_key,
            platform,
            form_id,
            unnest(answers) as answer,
            generate_subscripts(answers, 1) as position
        from unioned
    ) as unnested
),

matches as (  -- an answer is looked up by its question and by its kind of field (`@email`)
    select
        keyed.source_record_key,
        keyed.position,
        mappings.field,
        mappings.priority
    from (
        select
            source_record_key,
            position,
            platform,
            form_id,
            unnest([lower(trim(question)), '@' || lower(kind)]) as lookup
        from answers
    ) as keyed
    inner join mappings
        on
            keyed.platform = mappings.platform
            and keyed.lookup = mappings.question
            and mappings.form_id in (keyed.form_id, '*')
),

best_matches as (
    select
        source_record_key,
        position,
        arg_min(field, (priority, field)) as field
    from matches
    group by source_record_key, position
),

mapped as (
    select
        answers.*,
        coalesce(
            best_matches.field, case when answers.kind = 'canonical' then answers.question end
        ) as field
    from answers
    left join best_matches
        on
            answers.source_record_key = best_matches.source_record_key
            and answers.position = best_matches.position
),

profiles as (
    select
        source_record_key,
        {%- for field in profile_fields %}
            arg_min(answer_value, position) filter (where field = '{{ field }}') as {{ field }},
        {%- endfor %}
        coalesce(
            bool_or(
                coalesce({{ as_consent('answer_value') }}, false)
                or lower(answer_value) in (
                    {%- for text in var('hand_raiser_answers') %}
                        {{ sql_text(text | lower) }}{{ "," if not loop.last }}
                    {%- endfor %}
                )
            ) filter (where field = 'hand_raiser'),
            false
        ) as is_hand_raiser,
        list({ 'name': substr(field, length('attribute:') + 1), 'value': answer_value }) filter (
            where field like 'attribute:%' and answer_value is not null
        ) as attributes,
        list(distinct { 'question': question, 'kind': kind }) filter (
            where field is null and answer_value is not null
        ) as unmapped_questions
    from mapped
    group by source_record_key
),

consents as (
    select
        source_record_key,
        purpose,
        bool_and(granted) as granted
    from (
        select
            source_record_key,
            substr(field, length('consent:') + 1) as purpose,
            {{ as_consent('answer_value') }} as granted
        from mapped
        where field like 'consent:%'
    ) as answered
    where
        granted is not null
        and purpose in (
            {%- for purpose in var('consent_purposes') %}
                {{ sql_text(purpose) }}{{ "," if not loop.last }}
            {%- endfor %}
        )
    group by source_record_key, purpose
),

consent_lists as (
    select
        source_record_key,
        list({ 'purpose': purpose, 'granted': granted } order by purpose) as consent_answers
    from consents
    group by source_record_key
),

named as (
    select
        unioned.* exclude (answers, is_hand_raiser),
        profiles.* exclude (source_record_key, is_hand_raiser, full_name),
        {{ nullif_name_placeholder('profiles.full_name') }} as full_name,
        unioned.is_hand_raiser or coalesce(profiles.is_hand_raiser, false) as is_hand_raiser,
        case
            when unioned.is_partial then []
            else coalesce(consent_lists.consent_answers, [])
        end as consent_answers
    from unioned
    left join profiles on unioned.source_record_key = profiles.source_record_key
    left join consent_lists on unioned.source_record_key = consent_lists.source_record_key
)

select
    * exclude (
        email, phone, first_name, last_name, full_name, company, job_title, country, message
    ),
    email as email_raw,
    phone as phone_raw,
    coalesce(
        {{ nullif_name_placeholder('first_name') }}, {{ first_word('full_name') }}
    ) as first_name,
    coalesce(
        {{ nullif_name_placeholder('last_name') }}, {{ after_first_word('full_name') }}
    ) as last_name,
    {{ nullif_placeholder('company') }} as company,
    {{ nullif_placeholder('job_title') }} as job_title,
    {{ nullif_placeholder('country') }} as country_raw,
    {{ nullif_placeholder('message') }} as message,
    coalesce(
        {{ nullif_placeholder('country') }}, '{{ var("default_phone_region") }}'
    ) as phone_region,
    {{ batch_at() }} as batch_at
from named
