-- Hot leads whose email carries a current sales-contact consent: the CRM's "call now" list.
-- Activation re-checks consent at send time; this model is what analysts and the GX gate see.

select
    leads.lead_id,
    leads.email,
    leads.email_match_key,
    leads.first_name,
    leads.last_name,
    leads.phone_e164,
    leads.company,
    leads.job_title,
    leads.country_code,
    leads.tier,
    leads.grade,
    leads.total_score,
    leads.score_reasons,
    leads.first_platform as source_platform,
    leads.first_channel as channel,
    leads.first_source as source,
    leads.consent_sales_contact,
    leads.consent_sales_contact_at,
    leads.consent_sales_contact_source
from {{ ref('dim_leads') }} as leads
where
    leads.tier = 'hot'
    and leads.consent_sales_contact = 'granted'
    and leads.email is not null
