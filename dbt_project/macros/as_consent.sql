{#- A consent answer as a boolean: yes / oui / true / 1 → true, no / non / false / 0 → false,
    anything else (blank, unanswered) → null. -#}
{% macro as_consent(answer) -%}
    case
        when lower(trim({{ answer }})) in ('yes', 'oui', 'true', '1', 'y') then true
        when lower(trim({{ answer }})) in ('no', 'non', 'false', '0', 'n') then false
    end
{%- endmacro %}
