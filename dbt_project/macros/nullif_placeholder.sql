{#- Profile text without the placeholders people type for "nothing" (N/A, null, -, aucun...):
    those become null, anything else stays as typed. Names only lose placeholders that cannot be
    a name (a surname "Null" is kept). -#}
{% macro nullif_placeholder(column) -%}
    case
        when lower(trim({{ column }})) not in (
            'n/a', 'na', 'n.a.', 'null', 'none', 'nil', '-', '--', '.', '..', '...', '?', '/',
            'xxx', 'unknown', 'aucun', 'aucune', 'néant', 'neant', 'nc', 'n.c.', 'nr', 'tbd',
            'inconnu', 'inconnue', 'rien', 'keine', 'ninguno', 'ninguna'
        ) then nullif(trim({{ column }}), '')
    end
{%- endmacro %}

{% macro nullif_name_placeholder(column) -%}
    case
        when lower(trim({{ column }})) not in (
            'n/a', 'n.a.', '-', '--', '.', '..', '...', '?', '/', 'xxx', 'nc', 'n.c.'
        ) then nullif(trim({{ column }}), '')
    end
{%- endmacro %}
