{{ config(materialized='incremental', incremental_strategy='append', full_refresh=false) }}

-- Every (source record, lead id) assignment ever made, with when it was first made: the
-- memory that lets lead_merges say which person ids were merged into which. Append-only, and
-- kept through `--full-refresh`.

with

resolved as (
    select * from {{ ref('int_leads_resolved') }}
)

select
    source_record_key,
    lead_id,
    matched_by,
    cast('{{ run_started_at.isoformat() }}' as timestamp) as assigned_at
from resolved
{% if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as history
        where
            history.source_record_key = resolved.source_record_key
            and history.lead_id = resolved.lead_id
    )
{% endif %}
