"""Zoom webinar registrants, and for those who came, a participant record: sometimes joined
with another email than the one they registered with, linked by `registrant_id`."""

from __future__ import annotations

import string
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from sandbox.generator import Generator, Person, SandboxData

PLATFORM = "zoom_registrants"  # the registrations
ALSO = ("zoom_participants",)  # attendance
WEBINARS = ("81234567890", "81234567891")
STREAMS = WEBINARS
ATTENDANCE = 0.55


def _zoom_id(gen: Generator) -> str:
    return "".join(gen.rng.choices(string.ascii_letters + string.digits + "-_", k=22))


def write(gen: Generator, data: SandboxData, person: Person, at: datetime) -> str | None:
    """None for a person without a well-formed email: Zoom would not have registered them."""
    rng = gen.rng
    typed = gen.typed(person)
    if not typed["email"] or "." not in typed["email"].partition("@")[2]:
        return None
    webinar = rng.choice(WEBINARS)
    registrant_id = _zoom_id(gen)
    registrant = {
        "id": registrant_id,
        "email": typed["email"].strip(),
        "first_name": typed["first_name"],
        "last_name": typed["last_name"],
        "org": typed["company"] or "",
        "job_title": typed["job_title"] or "",
        "phone": typed["phone"] or "",
        "country": typed["country"],
        "create_time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status": "approved",
        "custom_questions": [
            {
                "title": data.questions.name("zoom", webinar, "consent:sales_contact", labels=True),
                "value": {True: "Oui", False: "Non", None: ""}[person.consent_sales],
            }
        ],
    }
    data.records("zoom_registrants").setdefault(webinar, []).append(registrant)
    joined = at + timedelta(hours=rng.randint(2, 72))
    if rng.random() < ATTENDANCE and joined <= data.now:
        other_email = rng.random() < 0.15
        participant = {
            "id": _zoom_id(gen),
            "user_id": str(rng.randrange(16_000_000, 16_999_999)),
            "name": f"{typed['first_name']} {typed['last_name']}",
            "user_email": (
                f"{typed['first_name'].lower()}.{person.person_id[1:]}@gmail.com"
                if other_email
                else registrant["email"]
            ),
            "registrant_id": registrant_id,
            "join_time": joined.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "leave_time": (joined + timedelta(minutes=rng.randint(5, 60))).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "duration": rng.randint(300, 3600),
            "status": "in_meeting",
        }
        data.records("zoom_participants").setdefault(webinar, []).append(participant)
        data.truth[("zoom_participants", participant["id"])] = person.person_id
    return registrant_id
