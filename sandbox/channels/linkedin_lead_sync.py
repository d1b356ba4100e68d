"""LinkedIn Lead Sync responses: answers carry only a `questionId`, which the lead form
definition (`LEAD_FORMS`) maps to a field; consents are `consentResponses` by `consentId`."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from sandbox.generator import Generator, Person, SandboxData

ACCOUNTS = ("510200001",)
STREAMS = ACCOUNTS
CAMPAIGNS = ("urn:li:sponsoredCampaign:310000101", "urn:li:sponsoredCampaign:310000102")
QUESTIONS = (  # (questionId, predefinedField)
    (1, "FIRST_NAME"),
    (2, "LAST_NAME"),
    (3, "EMAIL"),
    (4, "PHONE_NUMBER"),
    (5, "COMPANY_NAME"),
    (6, "JOB_TITLE"),
    (7, "COUNTRY"),
)
PLATFORM = "linkedin_lead_sync"
# (consentId, what it asks): LinkedIn numbers a form's consents; the field mapping names them
CONSENTS = ((41, "consent:sales_contact"), (42, "consent:email_marketing"))
CONSENT_WORDING = {
    "consent:sales_contact": "J'accepte d'être contacté par un commercial",
    "consent:email_marketing": "J'accepte de recevoir la newsletter",
}


def _form(form_id: int) -> dict:
    return {
        "id": form_id,
        "name": f"Livre blanc {form_id}",
        "state": "PUBLISHED",
        "versionId": 1,
        "content": {
            "questions": [
                {
                    "questionId": question_id,
                    "name": field.lower(),
                    "predefinedField": field,
                    "question": {"localized": {"fr_FR": field.replace("_", " ").title()}},
                }
                for question_id, field in QUESTIONS
            ],
            "legalInfo": {
                "consents": [
                    {
                        "consentId": consent_id,
                        "required": False,
                        "content": {"localized": {"fr_FR": CONSENT_WORDING[purpose]}},
                    }
                    for consent_id, purpose in CONSENTS
                ]
            },
        },
    }


LEAD_FORMS = {form_id: _form(form_id) for form_id in (6100001, 6100002)}
FIELD_OF = {"first_name": 1, "last_name": 2, "email": 3, "phone": 4, "company": 5, "job_title": 6}


def write(gen: Generator, data: SandboxData, person: Person, at: datetime) -> str:
    rng = gen.rng
    typed = gen.typed(person)
    test = rng.random() < 0.01
    answers = [
        {"questionId": question_id, "answerDetails": {"textQuestionAnswer": {"answer": value}}}
        for question_id, value in (
            *((FIELD_OF[name], typed[name]) for name in FIELD_OF),
            (7, typed["country"]),
        )
        if value is not None
    ]
    form_id = rng.choice(list(LEAD_FORMS))
    for consent_id, purpose in CONSENTS:
        data.questions.declare(PLATFORM, str(form_id), str(consent_id), purpose)
    consents = [
        {"consentId": consent_id, "accepted": given}
        for (consent_id, _), given in zip(
            CONSENTS, (person.consent_sales, person.consent_newsletter), strict=True
        )
        if given is not None
    ]
    response_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    account = rng.choice(ACCOUNTS)
    response = {
        "id": response_id,
        "submittedAt": int(at.timestamp() * 1000),
        "leadType": "SPONSORED",
        "owner": {"sponsoredAccount": f"urn:li:sponsoredAccount:{account}"},
        "versionedLeadGenFormUrn": f"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:{form_id},1)",
        "testLead": test,
        "leadMetadata": {"sponsoredLeadMetadata": {"campaign": rng.choice(CAMPAIGNS)}},
        "formResponse": {"answers": answers, "consentResponses": consents},
    }
    data.records("linkedin_lead_sync").setdefault(account, []).append(response)
    return response_id
