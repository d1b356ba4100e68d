{#- A staged record's answers: (question as the platform names it, kind of field, value as
    text). `fields` maps a question to the column holding its answer; `kind` says what the
    platform calls such a field. The intermediate models give each answer its meaning from the
    field mapping (macros/field_mappings.sql). -#}
{% macro answers(fields, kind='api') -%}
    [
        {%- for question, column in fields.items() %}
            {{ answer("'" ~ question ~ "'", "'" ~ kind ~ "'", column) }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ]
{%- endmacro %}

{% macro answer(question, kind, value) -%}
    { 'question': ({{ question }})::varchar, 'kind': ({{ kind }})::varchar, 'value': ({{ value }})::varchar }
{%- endmacro %}
