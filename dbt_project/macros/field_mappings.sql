{#- The field mapping as a relation (platform, form_id, question, field, priority): the
    platforms' standard fields and each form's mapping from leadpipe.yml, which leadpipe passes
    as the `field_mappings` var (ingestion/field_mapping.py). -#}
{% macro field_mappings() -%}
    {%- set rows = var('field_mappings', []) -%}
    select
        platform::varchar as platform,
        form_id::varchar as form_id,
        question::varchar as question,
        field::varchar as field,
        priority::integer as priority
    from (
        values
        {%- for row in rows %}
            (
                {{ sql_text(row['platform']) }}, {{ sql_text(row['form_id']) }},
                {{ sql_text(row['question']) }}, {{ sql_text(row['field']) }},
                {{ row['priority'] | int }}
            ){{ "," if not loop.last }}
        {%- endfor %}
        {%- if not rows %}
            (null, null, null, null, null)
        {%- endif %}
    ) as mappings (platform, form_id, question, field, priority)
    where platform is not null
{%- endmacro %}

{#- A Python string as a SQL literal. -#}
{% macro sql_text(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
