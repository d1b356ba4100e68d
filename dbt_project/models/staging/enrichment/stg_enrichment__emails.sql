select
    email_raw,
    email,
    is_valid as email_is_valid,
    invalid_reason as email_invalid_reason,
    match_key as email_match_key,
    domain as email_domain,
    coalesce(is_free_mail and not is_disposable, false) as is_free_mail,
    coalesce(is_disposable, false) as is_disposable,
    coalesce(is_role, false) as is_role_address,
    company_domain
from {{ source('enrichment', 'enrichment_emails') }}
