"""The syncs leadpipe runs: which segment goes where, for which purpose, with which fields."""

from activation.plan import SyncSpec

HUBSPOT_HOT_LEADS = SyncSpec(
    name="hubspot_hot_leads",
    destination="hubspot",
    segment="marts.seg_hot_leads_sales_contact",
    purpose="sales_contact",
    mapping={  # warehouse column -> HubSpot contact property
        "email": "email",
        "first_name": "firstname",
        "last_name": "lastname",
        "phone_e164": "phone",
        "company": "company",
        "job_title": "jobtitle",
        "tier": "leadpipe_tier",
        "total_score": "leadpipe_score",
        "score_reasons": "leadpipe_score_reasons",
        "lead_id": "leadpipe_lead_id",
    },
)
SYNCS = (HUBSPOT_HOT_LEADS,)
