-- One row per (accepted record, match key): the bipartite graph identity resolution walks.
-- Keys: the email match key, the E.164 phone, and platform links (a webinar attendance and the
-- registration it belongs to share one, whatever email the attendee joined with).
-- Records are numbered in first-seen order so the smallest node of a component is its
-- earliest record, which gives the person a stable id.

with

accepted as (
    select * from {{ ref('int_contacts_enriched') }}
    where quarantine_reason is null
),

nodes as (
    select
        source_record_key,
        row_number() over (order by first_seen_at, source_record_key) as node
    from accepted
),

keys as (
    select
        source_record_key,
        'email' as key_type,
        email_match_key as key_value
    from accepted
    where email_is_valid
    union all
    select
        source_record_key,
        'phone' as key_type,
        phone_e164 as key_value
    from accepted
    where phone_is_valid
    union all
    select
        source_record_key,
        'platform_link' as key_type,
        link_key as key_value
    from accepted
    where link_key is not null
)

select
    nodes.node,
    keys.source_record_key,
    keys.key_type,
    keys.key_type || ':' || keys.key_value as match_key
from keys
inner join nodes on keys.source_record_key = nodes.source_record_key
