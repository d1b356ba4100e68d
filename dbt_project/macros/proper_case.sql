{#- Title-case a name typed all upper or all lower case; keep deliberate casing as typed. -#}
{% macro proper_case(column) -%}
    case
        when {{ column }} = upper({{ column }}) or {{ column }} = lower({{ column }})
            then list_aggr(
                list_transform(
                    string_split(lower(trim({{ column }})), ' '),
                    lambda word: upper(word[1]) || word[2:]
                ),
                'string_agg',
                ' '
            )
        else trim({{ column }})
    end
{%- endmacro %}
