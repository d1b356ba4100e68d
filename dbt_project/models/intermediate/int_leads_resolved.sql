-- Connected components over shared match keys by label propagation: each record takes the
-- smallest label among records sharing a key, until nothing changes. Only records whose label
-- changed are revisited (DuckDB's recursive CTE with USING KEY), so no pairs are materialised.
-- A component carrying more distinct email addresses than one person plausibly uses is not
-- merged blindly: its records fall back to one person per email address and are flagged for
-- review. A person's id comes from their earliest first-seen record.

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
        any_value(edges.node) as node,
        any_value(components.label) as label,
        string_agg(distinct edges.key_type, ',' order by edges.key_type)
            filter (where shared_keys.match_key is not null) as matched_by
    from edges
    inner join components on edges.node = components.node
    left join shared_keys on edges.match_key = shared_keys.match_key
    group by edges.source_record_key
),

with_emails as (
    select
        records.*,
        contacts.email_match_key,
        count(distinct contacts.email_match_key) over (partition by records.label)
            > {{ var('identity_review_above_emails') }} as is_oversized
    from records
    inner join {{ ref('int_contacts_enriched') }} as contacts
        on records.source_record_key = contacts.source_record_key
),

anchored as (
    select
        *,
        case
            when is_oversized
                then
                    min(node) over (
                        partition by label, coalesce(email_match_key, source_record_key)
                    )
            else label
        end as anchor_node
    from with_emails
),

anchors as (
    select distinct node, source_record_key as anchor_record_key from edges
)

select
    anchored.source_record_key,
    'ld_' || substr(md5(anchors.anchor_record_key), 1, 16) as lead_id,
    case
        when anchored.is_oversized then 'email (oversized component split)'
        else coalesce(anchored.matched_by, 'none')
    end as matched_by,
    anchored.is_oversized as needs_review,
    'ld_' || substr(md5(component_anchors.anchor_record_key), 1, 16) as component_id
from anchored
inner join anchors on anchored.anchor_node = anchors.node
inner join anchors as component_anchors on anchored.label = component_anchors.node
