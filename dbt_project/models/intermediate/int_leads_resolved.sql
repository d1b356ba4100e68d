-- Connected components over shared match keys by label propagation: each record takes the
-- smallest label among records sharing a key, until nothing changes. Only records whose label
-- changed are revisited (DuckDB's recursive CTE with USING KEY), so no pairs are materialised.
-- A component carrying more distinct email addresses than one person plausibly uses is not
-- merged blindly: its records fall back to one person per email address and are flagged for
-- review. A person's id comes from their earliest first-seen record.
-- Incremental: only the components that changed are resolved again: those of the records whose
-- edges were rebuilt or removed, and those their match keys now reach.

{{ config(
    unique_key="source_record_key",
    post_hook="{{ delete_missing('source_record_key', 'select source_record_key from '
        ~ ref('int_identity_edges')) }}",
) }}

{%- if is_incremental() %}{% set since = last_built() %}{% endif %}

with recursive

{% if is_incremental() -%}
changed_edges as (
    select * from {{ ref('int_identity_edges') }}
    where batch_at > {{ since }}
),

changed_components as (
    select previous.component_id
    from {{ this }} as previous
    where
        previous.source_record_key in (select source_record_key from changed_edges)
        or previous.source_record_key not in (
            select source_record_key from {{ ref('int_identity_edges') }}
        )
    union
    select previous.component_id
    from {{ ref('int_identity_edges') }} as reached
    inner join {{ this }} as previous on reached.source_record_key = previous.source_record_key
    where reached.match_key in (select match_key from changed_edges)
),

{% endif -%}
all_edges as (
    select * from {{ ref('int_identity_edges') }}
    {%- if is_incremental() %}
        where
            batch_at > {{ since }}
            or source_record_key in (
                select source_record_key from {{ this }}
                where component_id in (select component_id from changed_components)
            )
    {%- endif %}
),

nodes as (
    select
        source_record_key,
        row_number() over (order by first_seen_at, source_record_key) as node
    from (select distinct source_record_key, first_seen_at from all_edges)
),

edges as (
    select
        nodes.node,
        all_edges.*
    from all_edges
    inner join nodes on all_edges.source_record_key = nodes.source_record_key
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
        contacts.platform,
        contacts.source,
        contacts.record_id,
        contacts.first_seen_at,
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
    'ld_' || substr(md5(component_anchors.anchor_record_key), 1, 16) as component_id,
    anchored.platform,
    anchored.source,
    anchored.record_id,
    anchored.first_seen_at,
    {{ batch_at() }} as batch_at
from anchored
inner join anchors on anchored.anchor_node = anchors.node
inner join anchors as component_anchors on anchored.label = component_anchors.node
