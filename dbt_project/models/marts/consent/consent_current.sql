-- The latest consent event per identifier, purpose and channel: what the person agreed to now.
-- Incremental: only the identifiers with events from records enriched since the last build
-- (new, changed or newly quarantined records) are looked at again.
-- depends_on: {{ ref('int_contacts_enriched') }}

{{ config(
    materialized="incremental",
    unique_key=["identifier_type", "identifier", "purpose", "channel"],
    post_hook="{{ delete_missing('source_record_key', 'select source_record_key from '
        ~ ref('int_consent_events')) }}",
) }}

with

{% if is_incremental() -%}
{%- set since = last_built() %}
changed_identifiers as (
    select identifier_type, identifier from {{ ref('int_consent_events') }}
    where batch_at > {{ since }}
    union
    select identifier_type, identifier from {{ this }}
    where source_record_key in (
        select source_record_key from {{ ref('int_contacts_enriched') }}
        where batch_at > {{ since }}
    )
),

{% endif -%}
events as (
    select all_events.* from {{ ref('int_consent_events') }} as all_events
    {%- if is_incremental() %}
        inner join changed_identifiers
            on
                all_events.identifier_type = changed_identifiers.identifier_type
                and all_events.identifier = changed_identifiers.identifier
    {%- endif %}
)

select
    identifier_type,
    identifier,
    purpose,
    channel,
    status,
    lawful_basis,
    capture_platform,
    capture_form_id,
    capture_campaign_id,
    event_at as status_at,
    source_record_key,
    {{ batch_at() }} as batch_at
from events
qualify row_number() over (
    partition by identifier_type, identifier, purpose, channel
    order by event_at desc, source_record_key desc
) = 1
