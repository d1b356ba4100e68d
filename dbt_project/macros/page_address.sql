{#- The page a form was filled on, without its query string or fragment: a pre-filled link can
    carry the person's email there, and the ledger keeps no personal data in clear. -#}
{% macro page_address(url) -%}
    nullif(regexp_replace(trim({{ url }}), '[?#].*$', ''), '')
{%- endmacro %}
