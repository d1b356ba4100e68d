{#- One row: the questions (ids or texts) of a platform's forms that ask for sales-contact
    consent (`sales`) and for email-marketing consent (`marketing`), from seeds/form_questions. -#}
{% macro form_question_lists(platform) -%}
    select
        coalesce(list(question) filter (where field = 'consent_sales_contact'), []) as sales,
        coalesce(list(question) filter (where field = 'consent_email_marketing'), []) as marketing
    from {{ ref('form_questions') }}
    where platform = '{{ platform }}'
{%- endmacro %}
