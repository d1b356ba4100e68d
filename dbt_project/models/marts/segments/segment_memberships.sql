-- Who is in each segment of the configuration (var `segments`: leadpipe.yml, else
-- dbt_project.yml): one row per segment and person matching its filter, with whether the
-- person's current consent covers the segment's purpose. Only marketable members may leave the
-- warehouse; the others are listed so analysts see what consent holds back.

{%- set segments = var('segments') %}

{%- for name, segment in segments.items() %}
    select
        '{{ name }}' as segment,
        '{{ segment.purpose }}' as purpose,
        lead_id,
        is_marketable_for_{{ segment.purpose }} as is_marketable,
        tier,
        grade,
        total_score
    from {{ ref('dim_leads') }}
    where ({{ segment.filter }})
    {%- if not loop.last %}
        union all
    {%- endif %}
{%- else %}
    select
        null::varchar as segment,
        null::varchar as purpose,
        null::varchar as lead_id,
        null::boolean as is_marketable,
        null::varchar as tier,
        null::varchar as grade,
        null::double as total_score
    where false
{%- endfor %}
