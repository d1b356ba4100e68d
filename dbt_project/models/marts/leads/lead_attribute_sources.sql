{{ config(materialized='view') }}

-- Where each value of a person's profile came from (survivorship provenance).

select * from {{ ref('int_lead_attributes_survived') }}
