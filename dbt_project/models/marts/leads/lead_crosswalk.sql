-- Which source record belongs to which person, by which match rule, and whether identity
-- resolution flagged it for review.

select
    resolved.source_record_key,
    resolved.lead_id,
    resolved.matched_by,
    resolved.needs_review,
    contacts.platform,
    contacts.source,
    contacts.record_id,
    contacts.first_seen_at
from {{ ref('int_leads_resolved') }} as resolved
inner join {{ ref('int_contacts_enriched') }} as contacts
    on resolved.source_record_key = contacts.source_record_key
