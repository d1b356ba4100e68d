select
    phone_raw,
    default_region,
    phone_e164,
    is_valid as phone_is_valid,
    country_code as phone_country_code,
    line_type as phone_line_type
from {{ source('enrichment', 'enrichment_phones') }}
