select
    country_raw,
    country_code
from {{ source('enrichment', 'enrichment_countries') }}
