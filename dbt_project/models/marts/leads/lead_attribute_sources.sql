{{ config(materialized='view') }}

-- Where each value of a person's profile came from (survivorship provenance).

select * exclude (batch_at) from {{ ref('int_lead_attributes_survived') }}
