-- Connected components over shared match keys by label propagation: each record takes the
-- smallest label among records sharing a key, until nothing changes. Only records whose label
-- changed are revisited (DuckDB's recursive CTE with USING KEY), so no pairs are materialised.

with recursive

edges as (
    select * from {{ ref('int_identity_edges') }}
),

components (node, label) using key (node) as (
    select distinct node, node as label from edges
    union
    select
        neighbour.node,
        min(changed.label) as label
    from components as changed
    inner join edges as own on changed.node = own.node
    inner join edges as neighbour on own.match_key = neighbour.match_key
    inner join recurring.components as current_label on neighbour.node = current_label.node
    group by neighbour.node, current_label.label
    having min(changed.label) < current_label.label
),

shared_keys as (
    select match_key from edges group by match_key having count(*) > 1
),

records as (
    select
        edges.source_record_key,
        any_value(components.label) as label,
        string_agg(distinct edges.key_type, ',' order by edges.key_type)
            filter (where shared_keys.match_key is not null) as matched_by
    from edges
    inner join components on edges.node = components.node
    left join shared_keys on edges.match_key = shared_keys.match_key
    group by edges.source_record_key
),

anchors as (
    select distinct node, source_record_key as anchor_record_key from edges
)

select
    records.source_record_key,
    'ld_' || substr(md5(anchors.anchor_record_key), 1, 16) as lead_id,
    coalesce(records.matched_by, 'none') as matched_by
from records
inner join anchors on records.label = anchors.node
