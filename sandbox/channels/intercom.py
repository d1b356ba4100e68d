"""Intercom: a lead the website chatbot captured, and the conversation it had with them.

The bot's qualification answers are saved as custom attributes the workspace's owner named
(company, job title, sales-contact consent); declining the newsletter sets
`unsubscribed_from_emails`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from sandbox.generator import Generator, Person, SandboxData

PLATFORM = "intercom_contacts"  # the leads
ALSO = ("intercom_conversations",)  # what they said
STREAMS = ("workspace",)
OPENERS = (
    "Bonjour, je voudrais en savoir plus sur vos tarifs.",
    "Hi, do you integrate with HubSpot?",
    "Je souhaite une démo pour mon équipe.",
    "Can someone from sales call me?",
)


def write(gen: Generator, data: SandboxData, person: Person, at: datetime) -> str:
    rng = gen.rng
    typed = gen.typed(person)
    contact_id = f"{rng.getrandbits(96):024x}"
    stamp = int(at.timestamp())
    name = " ".join(part for part in (typed["first_name"], typed["last_name"]) if part)
    contact = {
        "type": "contact",
        "id": contact_id,
        "workspace_id": "ecahpwf5",
        "role": "lead",
        "email": typed["email"],
        "phone": typed["phone"],
        "name": name,
        "created_at": stamp,
        "updated_at": stamp,
        "last_seen_at": stamp,
        "unsubscribed_from_emails": person.consent_newsletter is False,
        "location": {"type": "location", "country": None, "country_code": typed["country"]},
        "custom_attributes": {
            data.questions.name("intercom", "chatbot", field): value
            for field, value in (
                ("company", typed["company"]),
                ("job_title", typed["job_title"]),
                ("consent:sales_contact", person.consent_sales),
            )
        },
    }
    data.records(PLATFORM).setdefault(STREAMS[0], []).append(contact)
    opener = rng.choice(OPENERS[2:] if person.wants_demo else OPENERS[:2])
    conversation_id = str(rng.randrange(10**11, 10**12))
    data.records("intercom_conversations").setdefault(STREAMS[0], []).append(
        {
            "type": "conversation",
            "id": conversation_id,
            "created_at": stamp,
            "updated_at": stamp + rng.randint(30, 900),
            "source": {
                "type": "conversation",
                "delivered_as": "customer_initiated",
                "body": f"<p>{opener}</p>",
                "author": {"type": "lead", "id": contact_id, "email": typed["email"] or ""},
            },
            "contacts": {
                "type": "contact.list",
                "contacts": [{"type": "contact", "id": contact_id}],
            },
            "state": "closed",
            "open": False,
        }
    )
    data.truth[("intercom_conversations", conversation_id)] = person.person_id
    return contact_id
