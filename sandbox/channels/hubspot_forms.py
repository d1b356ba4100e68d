"""HubSpot form submissions: `{conversionId, submittedAt (ms), pageUrl, values[{name, value}]}`."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from sandbox.generator import Generator, Person, SandboxData

FORMS = ("4e1b7c1a-6f0e-4a55-9b3c-3d2f8a1c0001", "4e1b7c1a-6f0e-4a55-9b3c-3d2f8a1c0002")
STREAMS = FORMS
PAGES = ("https://www.example-saas.fr/contact", "https://www.example-saas.fr/tarifs")
UTM_SOURCES = ("google", "linkedin", "newsletter", None)


def write(gen: Generator, data: SandboxData, person: Person, at: datetime) -> str:
    rng = gen.rng
    typed = gen.typed(person)
    form = rng.choice(FORMS)
    utm = rng.choice(UTM_SOURCES)
    values = {
        "firstname": typed["first_name"],
        "lastname": typed["last_name"],
        "email": typed["email"],
        "phone": typed["phone"],
        "company": typed["company"],
        "jobtitle": typed["job_title"],
        "country": typed["country"],
    }
    name = lambda field: data.questions.name("hubspot_forms", form, field)  # noqa: E731
    values[name("hand_raiser")] = "Talk to sales" if person.wants_demo else "Information"
    if person.message:
        values["message"] = person.message
    for purpose, given in (
        ("consent:sales_contact", person.consent_sales),
        ("consent:email_marketing", person.consent_newsletter),
    ):
        if given is not None:
            values[name(purpose)] = "true" if given else "false"
    conversion_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    submission = {
        "conversionId": conversion_id,
        "submittedAt": int(at.timestamp() * 1000),
        "pageUrl": rng.choice(PAGES) + (f"?utm_source={utm}&utm_medium=cpc" if utm else ""),
        "values": [
            {"name": name, "value": value, "objectTypeId": "0-1"}
            for name, value in values.items()
            if value is not None
        ],
    }
    data.records("hubspot_forms").setdefault(form, []).append(submission)
    return conversion_id
