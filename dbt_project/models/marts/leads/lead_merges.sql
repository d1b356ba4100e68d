-- Person ids that stopped being current, and the id their records carry now: a CRM record keyed
-- by an old id follows it here. `merged` when the old person joined another one (a new record
-- linked them); `split` when some of its records left it (a shared key turned out to belong to
-- several people) while the old id lives on.

with

current_ids as (
    select * from {{ ref('int_leads_resolved') }}
),

history as (
    select * from {{ ref('lead_id_history') }}
),

moves as (
    select
        history.lead_id as previous_lead_id,
        current_ids.lead_id,
        count(*) as records_moved,
        max(current_history.assigned_at) as moved_at
    from history
    inner join current_ids on history.source_record_key = current_ids.source_record_key
    inner join history as current_history
        on
            current_ids.source_record_key = current_history.source_record_key
            and current_ids.lead_id = current_history.lead_id
    where history.lead_id != current_ids.lead_id
    group by history.lead_id, current_ids.lead_id
)

select
    moves.previous_lead_id,
    moves.lead_id,
    moves.records_moved,
    moves.moved_at,
    case
        when exists (
            select 1 from current_ids where current_ids.lead_id = moves.previous_lead_id
        ) then 'split'
        else 'merged'
    end as change
from moves
