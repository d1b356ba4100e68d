-- Questions answered on a form that no field mapping names (a question the form's owner added,
-- or renamed): their answers stay in raw and give nothing, consent included, until mapped in
-- leadpipe.yml under `sources.<platform>.fields.<form id>`. Consent-like ones (a checkbox, a
-- legal or consent item, opt-in wording in French, English, German or Spanish) come first.

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
        lower(kind) in ('checkbox', 'consent', 'legal', 'yes_no', 'boolean')
        or regexp_matches(
            lower(question),
            'consent|opt.?in|agree|accept|newsletter|subscri|gdpr|rgpd|dsgvo|privacy|marketing'
            || '|contact|rappel|autoris|abonn|einwillig|zustimm|datenschutz|werbung|acepto'
            || '|consiento|autorizo|privacidad|bolet|comercial|commercial|legal|disclaimer'
        )
    ) as looks_like_consent
from unmapped
group by platform, form_id, question
