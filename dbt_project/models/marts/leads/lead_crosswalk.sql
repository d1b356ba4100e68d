{{ config(materialized="view") }}

-- Which source record belongs to which person, by which match rule, and whether identity
-- resolution flagged it for review.

select
    source_record_key,
    lead_id,
    matched_by,
    needs_review,
    platform,
    source,
    record_id,
    first_seen_at
from {{ ref('int_leads_resolved') }}
