"""Tally submissions: `responses[{questionId, answer}]`, joined by the client to the form's
`questions[]` served alongside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from sandbox.generator import Generator, Person, SandboxData

FORMS = ("wMq1Xa", "n9Bz0Q")
STREAMS = FORMS
QUESTIONS = (  # (id, type, title, key of the typed person or consent)
    ("qFirst", "INPUT_TEXT", "Prénom", "first_name"),
    ("qLast", "INPUT_TEXT", "Nom", "last_name"),
    ("qMail", "INPUT_EMAIL", "Adresse e-mail", "email"),
    ("qPhone", "INPUT_PHONE_NUMBER", "Téléphone", "phone"),
    ("qOrg", "INPUT_TEXT", "Entreprise", "company"),
    ("qJob", "INPUT_TEXT", "Poste", "job_title"),
    ("qCountry", "DROPDOWN", "Pays", "country"),
    ("qMessage", "TEXTAREA", "Votre message", "message"),
    ("qSales", "CHECKBOX", "J'accepte d'être contacté par un commercial", "consent_sales"),
    ("qNews", "CHECKBOX", "Je m'abonne à la newsletter", "consent_newsletter"),
)


def questions() -> list[dict]:
    return [{"id": qid, "type": kind, "title": title} for qid, kind, title, _ in QUESTIONS]


def write(gen: Generator, data: SandboxData, person: Person, at: datetime) -> str:
    rng = gen.rng
    typed = gen.typed(person)
    values = {
        **typed,
        "consent_sales": person.consent_sales,
        "consent_newsletter": person.consent_newsletter,
        "message": person.message,
    }
    submission_id = "".join(rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", k=6))
    submission = {
        "id": submission_id,
        "formId": rng.choice(FORMS),
        "respondentId": f"r{submission_id}",
        "isCompleted": True,
        "submittedAt": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "responses": [
            {"questionId": qid, "answer": values[key]}
            for qid, _, _, key in QUESTIONS
            if values[key] is not None
        ],
    }
    data.records("tally").setdefault(submission["formId"], []).append(submission)
    return submission_id
