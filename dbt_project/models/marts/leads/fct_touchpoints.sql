-- One row per accepted source record: a person's touchpoint on a channel, with its origin.
-- Incremental: only the records resolved again since the last build.

{{ config(
    materialized="incremental",
    unique_key="source_record_key",
    post_hook="{{ delete_missing('source_record_key', 'select source_record_key from '
        ~ ref('int_leads_resolved')) }}",
) }}

select
    contacts.source_record_key,
    resolved.lead_id,
    contacts.platform,
    contacts.channel,
    contacts.direction,
    contacts.touchpoint_type,
    contacts.source,
    contacts.form_id,
    contacts.campaign_id,
    contacts.campaign_name,
    contacts.ad_id,
    contacts.is_hand_raiser,
    contacts.captured_at,
    contacts.first_seen_at,
    resolved.batch_at
from {{ ref('int_contacts_enriched') }} as contacts
inner join {{ ref('int_leads_resolved') }} as resolved
    on contacts.source_record_key = resolved.source_record_key
{%- if is_incremental() %}
    where resolved.batch_at > {{ last_built() }}
{%- endif %}
