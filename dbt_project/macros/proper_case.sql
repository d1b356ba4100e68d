{#- Title-case a name typed all upper or all lower case, word by word: a word of letters in any
    script, with hyphens, apostrophes or a final dot (HÉLÈNE, jean-pierre, o'neil, j.). Any
    other word (N/A, =HYPERLINK(...), digits, symbols) and deliberate casing stay as typed. -#}
{% macro proper_case(column) -%}
    case
        when {{ column }} = upper({{ column }}) or {{ column }} = lower({{ column }})
            then list_aggr(
                list_transform(
                    string_split(trim({{ column }}), ' '),
                    lambda word: case
                        when regexp_full_match(word, '\p{L}+([''-]\p{L}+)*\.?')
                            then upper(word[1]) || lower(word[2:])
                        else word
                    end
                ),
                'string_agg',
                ' '
            )
        else trim({{ column }})
    end
{%- endmacro %}
