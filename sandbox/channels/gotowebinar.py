"""GoToWebinar registrants and, for those who came, an attendee record in the hourly session
they joined (sessions are keyed by the hour they start)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.generator import Generator, Person, SandboxData

PLATFORM = "gotowebinar_registrants"  # the registrations
ALSO = ("gotowebinar_attendees",)  # attendance, per session
WEBINARS = ("7346129856412345611",)
STREAMS = WEBINARS
ATTENDANCE = 0.5
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def session_start(session_key: int) -> datetime:
    return datetime.fromtimestamp(session_key * 3600, UTC)


def write(gen: Generator, data: SandboxData, person: Person, at: datetime) -> str | None:
    """None for a person without a well-formed email: GoToWebinar would not register them."""
    rng = gen.rng
    typed = gen.typed(person)
    if not typed["email"] or "." not in typed["email"].partition("@")[2]:
        return None
    webinar = rng.choice(WEBINARS)
    registrant_key = str(rng.randrange(10**17, 10**18))
    data.records(PLATFORM).setdefault(webinar, []).append(
        {
            "firstName": typed["first_name"],
            "lastName": typed["last_name"],
            "email": typed["email"].strip(),
            "registrantKey": int(registrant_key),
            "registrationDate": at.strftime(STAMP),
            "status": "APPROVED",
            "joinUrl": f"https://global.gotowebinar.com/join/{webinar}/{registrant_key}",
            "timeZone": "Europe/Paris",
        }
    )
    joined = at + timedelta(hours=rng.randint(2, 72), minutes=rng.randint(0, 10))
    if rng.random() < ATTENDANCE and joined <= data.now:
        session_key = int(joined.timestamp()) // 3600
        seconds = rng.randint(300, 3300)
        attendee = {
            "registrantKey": int(registrant_key),
            "sessionKey": session_key,
            "email": typed["email"].strip(),
            "firstName": typed["first_name"],
            "lastName": typed["last_name"],
            "attendanceTimeInSeconds": seconds,
            "attendance": [
                {
                    "joinTime": joined.strftime(STAMP),
                    "leaveTime": (joined + timedelta(seconds=seconds)).strftime(STAMP),
                }
            ],
        }
        data.records("gotowebinar_attendees").setdefault(webinar, []).append(attendee)
        data.truth[("gotowebinar_attendees", f"{session_key}-{registrant_key}")] = person.person_id
    return registrant_key
