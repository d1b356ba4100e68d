{#- 'malformed_payload' when a raw record is not a JSON object or lacks the structure its
    staging model reads (`required`: JSON path -> json_type), else null. Such a record is
    quarantined with that reason instead of passing as a contact with no email and no phone. -#}
{% macro malformed_payload(required={}) -%}
    case
        when coalesce(json_type(payload), '') != 'OBJECT' then 'malformed_payload'
        {%- for path, kind in required.items() %}
            when coalesce(json_type(payload, '{{ path }}'), '') != '{{ kind }}'
                then 'malformed_payload'
        {%- endfor %}
    end
{%- endmacro %}
