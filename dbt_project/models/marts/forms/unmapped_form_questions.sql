-- Questions answered on a form that no field mapping names (a question the form's owner added,
-- or renamed): their answers stay in raw and give nothing, consent included, until mapped in
-- leadpipe.yml under `sources.<platform>.fields.<form id>`. Consent-like ones (a checkbox, a
-- legal or consent item, opt-in wording in French, English, German or Spanish) are flagged by
-- the kinds and wording `leadpipe forms` uses (vars from ingestion/form_definitions.py).

with

unmapped as (
    select
        platform,
        form_id,
        unmapped.question,
        unmapped.kind,
        captured_at
    from (
        select
            platform,
            form_id,
            captured_at,
            unnest(unmapped_questions) as unmapped
        from {{ ref('int_contacts_unioned') }}
        where len(unmapped_questions) > 0
    )
)

select
    platform,
    form_id,
    question,
    any_value(kind) as kind,
    count(*) as answers,
    max(captured_at) as last_answered_at,
    bool_or(
        lower(kind) in (
            {%- for kind in var('consent_kinds') %}
                {{ sql_text(kind) }}{{ "," if not loop.last }}
            {%- endfor %}
        )
        or regexp_matches(question, {{ sql_text(var('consent_wording')) }}, 'i')
    ) as looks_like_consent
from unmapped
group by platform, form_id, question
