{#- An answer as a yes or no: an explicit yes (ticked, true, 1, oui, ja, sí...) → true, an explicit
    no (unticked, false, 0, non, nein...) → false, anything else (blank, a choice that says
    neither) → null, which is unknown, never consent. -#}
{% macro as_consent(answer) -%}
    case
        when lower(trim({{ answer }})) in (
            'yes', 'y', 'true', '1', 'checked', 'on', 'oui', 'ja', 'si', 'sí', 'i agree',
            'j''accepte', 'accepted'
        ) then true
        when lower(trim({{ answer }})) in (
            'no', 'n', 'false', '0', 'unchecked', 'off', 'non', 'nein', 'refused', 'declined'
        ) then false
    end
{%- endmacro %}
