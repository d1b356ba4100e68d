select
    provider || ':' || email_match_key as source_record_key,
    provider,
    email_match_key,
    company,
    job_title,
    seniority,
    department,
    country_code,
    likelihood,
    fetched_at
from {{ source('enrichment', 'enrichment_provider_values') }}
where found
