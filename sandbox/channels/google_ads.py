"""Google Ads lead form submissions as the API's `leadFormSubmissionData` search rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from sandbox.generator import Generator, Person, SandboxData

CUSTOMERS = ("1234567890",)
STREAMS = CUSTOMERS
CAMPAIGNS = ("20100000001", "20100000002")


def write(gen: Generator, data: SandboxData, person: Person, at: datetime) -> str:
    rng = gen.rng
    typed = gen.typed(person)
    customer = rng.choice(CUSTOMERS)
    lead_id = str(rng.randrange(10**17, 10**18))
    name = f"{typed['first_name']} {typed['last_name']}"
    fields = [
        ("FULL_NAME", name),
        ("EMAIL", typed["email"]),
        ("PHONE_NUMBER", typed["phone"]),
        ("COMPANY_NAME", typed["company"]),
        ("JOB_TITLE", typed["job_title"]),
        ("COUNTRY", typed["country"]),
    ]
    campaign = rng.choice(CAMPAIGNS)
    form = f"{campaign[-3:]}777"  # the lead form asset's id
    custom = [
        {
            "questionText": data.questions.name("google_ads", form, purpose, labels=True),
            "fieldValue": "Yes" if given else "No",
        }
        for purpose, given in (
            ("consent:sales_contact", person.consent_sales),
            ("consent:email_marketing", person.consent_newsletter),
        )
        if given is not None
    ]
    row = {
        "leadFormSubmissionData": {
            "resourceName": f"customers/{customer}/leadFormSubmissionData/{lead_id}",
            "id": lead_id,
            "asset": f"customers/{customer}/assets/{form}",
            "campaign": f"customers/{customer}/campaigns/{campaign}",
            "adGroup": f"customers/{customer}/adGroups/{campaign}55",
            "leadFormSubmissionFields": [
                {"fieldType": kind, "fieldValue": value} for kind, value in fields if value
            ],
            "customLeadFormSubmissionFields": custom,
            "gclid": f"Cj0KCQiA{rng.getrandbits(48):012x}",
            "submissionDateTime": at.strftime("%Y-%m-%d %H:%M:%S+00:00"),
        }
    }
    data.records("google_ads").setdefault(customer, []).append(row)
    return lead_id
