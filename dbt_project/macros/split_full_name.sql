{#- A full name's first word (the first name), and the rest (the last name, null if none). -#}
{% macro first_word(full_name) -%}
    split_part({{ full_name }}, ' ', 1)
{%- endmacro %}

{% macro after_first_word(full_name) -%}
    nullif(trim(substr({{ full_name }}, length(split_part({{ full_name }}, ' ', 1)) + 1)), '')
{%- endmacro %}
