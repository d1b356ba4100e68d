-- What identity resolution refused to merge blindly, for a person to review: components with
-- more email addresses than one person plausibly uses (split back to one person per address),
-- and keys people may share (role inbox, phone) carried by records with different names:
-- linked per name, or not at all when they carry too many names.

with

edges as (
    select * from {{ ref('int_identity_edges') }}
),

resolved as (
    select * from {{ ref('int_leads_resolved') }}
),

oversized as (
    select
        'oversized_component' as reason,
        component_id as subject,
        count(*) as records,
        count(distinct lead_id) as persons,
        list(distinct lead_id order by lead_id) as lead_ids
    from resolved
    where needs_review
    group by component_id
),

contested_keys as (
    select
        case edges.shared_key_rule
            when 'split_by_name' then 'shared_key_with_different_names'
            else 'shared_key_with_too_many_names'
        end as reason,
        split_part(edges.match_key, '|', 1) as subject,
        count(*) as records,
        count(distinct resolved.lead_id) as persons,
        list(distinct resolved.lead_id order by resolved.lead_id) as lead_ids
    from edges
    inner join resolved on edges.source_record_key = resolved.source_record_key
    where edges.shared_key_rule is not null
    group by edges.shared_key_rule, split_part(edges.match_key, '|', 1)
)

select * from oversized
union all
select * from contested_keys
