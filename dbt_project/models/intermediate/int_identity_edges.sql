-- One row per (accepted record, match key): the bipartite graph identity resolution walks.
-- Keys: the email match key, the E.164 phone, and platform links (a webinar attendance and the
-- registration it belongs to share one, whatever email the attendee joined with).
-- Over-merging merges consents, so keys several people can share (a role inbox such as
-- contact@, a phone) link only records whose names agree: once such a key carries two
-- different names, it links each name's records separately, and records without a name not
-- at all; a key carrying more names than `identity_shared_key_max_names` (a company inbox, a
-- switchboard) links no one, as a shared name there is no evidence of one person. A record
-- left with no key keeps a key of its own, so every record is a node.
-- Incremental: the records enriched since the last build are replaced, with every record
-- sharing a role inbox or phone with them, old or new (whether those keys link depends on
-- all the names they carry).

{{ config(
    unique_key="source_record_key",
    post_hook="{{ delete_missing('source_record_key', 'select source_record_key from '
        ~ ref('int_contacts_enriched') ~ ' where quarantine_reason is null') }}",
) }}

{%- if is_incremental() %}{% set since = last_built() %}{% endif %}

with

{% if is_incremental() -%}
changed as (
    select * from {{ ref('int_contacts_enriched') }}
    where batch_at > {{ since }}
),

shared_values as (
    select email_match_key as key_value from changed where is_role_address and email_is_valid
    union
    select phone_e164 from changed where phone_is_valid
    union
    select key_value from {{ this }}
    where
        key_type in ('role_email', 'phone')
        and source_record_key in (select source_record_key from changed)
),

{% endif -%}
candidates as (
    select * from {{ ref('int_contacts_enriched') }}
    {%- if is_incremental() %}
        where
            batch_at > {{ since }}
            or (is_role_address and email_match_key in (select key_value from shared_values))
            or phone_e164 in (select key_value from shared_values)
    {%- endif %}
),

accepted as (
    select
        *,
        nullif(
            regexp_replace(lower(strip_accents(coalesce(last_name, ''))), '[^a-z]', '', 'g'),
            ''
        )
        || ' '
        || left(
            regexp_replace(lower(strip_accents(coalesce(first_name, ''))), '[^a-z]', '', 'g'),
            1
        ) as name_key
    from candidates
    where quarantine_reason is null
),

keys as (
    select
        source_record_key,
        name_key,
        case when is_role_address then 'role_email' else 'email' end as key_type,
        email_match_key as key_value
    from accepted
    where email_is_valid
    union all
    select
        source_record_key,
        name_key,
        'phone' as key_type,
        phone_e164 as key_value
    from accepted
    where phone_is_valid
    union all
    select
        source_record_key,
        name_key,
        'platform_link' as key_type,
        link_key as key_value
    from accepted
    where link_key is not null
),

shared_by_several_names as (
    select
        key_type,
        key_value,
        case
            when count(distinct name_key) > {{ var('identity_shared_key_max_names') }}
                then 'not_linked'
            else 'split_by_name'
        end as shared_key_rule
    from keys
    where key_type in ('role_email', 'phone')
    group by key_type, key_value
    having count(distinct name_key) > 1
),

linking as (
    select
        keys.source_record_key,
        keys.key_type,
        keys.key_value,
        keys.key_type || ':' || keys.key_value
        || case contested.shared_key_rule
            when 'split_by_name' then '|' || keys.name_key
            when 'not_linked' then '|' || keys.source_record_key
            else ''
        end as match_key,
        contested.shared_key_rule
    from keys
    left join shared_by_several_names as contested
        on keys.key_type = contested.key_type and keys.key_value = contested.key_value
    where contested.shared_key_rule is distinct from 'split_by_name' or keys.name_key is not null
),

with_unlinked as (
    select * from linking
    union all
    select
        source_record_key,
        'none' as key_type,
        source_record_key as key_value,
        'record:' || source_record_key as match_key,
        null as shared_key_rule
    from accepted
    anti join linking using (source_record_key)
)

select
    with_unlinked.source_record_key,
    accepted.first_seen_at,
    with_unlinked.key_type,
    with_unlinked.key_value,
    with_unlinked.match_key,
    with_unlinked.shared_key_rule,
    {{ batch_at() }} as batch_at
from with_unlinked
inner join accepted on with_unlinked.source_record_key = accepted.source_record_key
