-- The latest consent event per identifier, purpose and channel: what the person agreed to now.

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
    source_record_key
from {{ ref('int_consent_events') }}
qualify row_number() over (
    partition by identifier_type, identifier, purpose, channel
    order by event_at desc, source_record_key desc
) = 1
