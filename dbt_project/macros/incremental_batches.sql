{#- Incremental models (re)build only the rows whose upstream changed. Every such model stamps
    its rows with `batch_at`, the start of the dbt run that built them; a downstream model takes
    the upstream rows stamped after its own newest `batch_at`. When the dbt project or its
    configuration changes, leadpipe rebuilds everything with `--full-refresh`
    (orchestration/assets/dbt.py). -#}

{#- The start of this dbt run, stamped on the rows it builds. -#}
{% macro batch_at() -%}
    cast('{{ run_started_at.isoformat() }}' as timestamptz)
{%- endmacro %}

{#- The newest value of `column` in this model's table, as a literal (so DuckDB can skip old
    row groups), or -infinity when the table is empty. -#}
{% macro last_built(column='batch_at') -%}
    {%- set newest = none -%}
    {%- if execute -%}
        {%- set newest = run_query(
            'select max(' ~ column ~ ')::varchar from ' ~ this
        ).columns[0].values()[0] -%}
    {%- endif -%}
    cast('{{ newest if newest is not none else "-infinity" }}' as timestamptz)
{%- endmacro %}

{#- A post-hook removing the rows whose key is no longer among `upstream_keys` (a query): the
    records quarantined since, the people merged into another. -#}
{% macro delete_missing(key, upstream_keys) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ key }} not in ({{ upstream_keys }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- The day engagement points are decayed to: the run's day, unless `scoring_as_of` is set. -#}
{% macro scoring_day() -%}
    {{ return(var("scoring_as_of", run_started_at.date().isoformat())) }}
{%- endmacro %}

{#- A query of the people whose scores must be computed again, or none for everyone: everyone
    when this model last scored for another day (engagement points decay daily), else only the
    people profiled again since its last build. -#}
{% macro rescored_leads() -%}
    {%- if not is_incremental() or not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set scored_on = run_query(
        'select max(scored_on)::varchar from ' ~ this
    ).columns[0].values()[0] -%}
    {%- if scored_on != scoring_day() -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(
        'select lead_id from ' ~ ref('int_leads_profiled') ~ ' where batch_at > ' ~ last_built()
    ) }}
{%- endmacro %}

{#- A pre-hook clearing the rows of the people about to be scored again, so a person whose
    rules no longer fire keeps no old row. -#}
{% macro delete_rescored() -%}
    {%- if is_incremental() -%}
        {%- set rescored = rescored_leads() -%}
        delete from {{ this }}
        {%- if rescored %} where lead_id in ({{ rescored }}){% endif %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
