"""Tally submissions: `responses[{questionId, answer}]`, joined by the client to the form's
`questions[]` served alongside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from sandbox.generator import Generator, Person, SandboxData

FORMS = ("wMq1Xa", "n9Bz0Q")
STREAMS = FORMS
QUESTIONS = (  # (id, type, field); each form's owner titles them (sandbox/form_questions.py)
    ("qFirst", "INPUT_TEXT", "first_name"),
    ("qLast", "INPUT_TEXT", "last_name"),
    ("qMail", "INPUT_EMAIL", "email"),
    ("qPhone", "INPUT_PHONE_NUMBER", "phone"),
    ("qOrg", "INPUT_TEXT", "company"),
    ("qJob", "INPUT_TEXT", "job_title"),
    ("qCountry", "DROPDOWN", "country"),
    ("qMessage", "TEXTAREA", "message"),
    ("qSales", "CHECKBOX", "consent:sales_contact"),
    ("qNews", "CHECKBOX", "consent:email_marketing"),
)
TYPED_TITLES = {"email": "Adresse e-mail", "phone": "Téléphone"}  # mapped by their type


def questions(data: SandboxData, form: str) -> list[dict]:
    """The form's questions, titled as its owner did."""
    return [
        {"id": qid, "type": kind, "title": _title(data, form, field)}
        for qid, kind, field in QUESTIONS
    ]


def _title(data: SandboxData, form: str, field: str) -> str:
    if field in TYPED_TITLES:
        return TYPED_TITLES[field]
    return data.questions.name("tally", form, field, labels=True)


def write(gen: Generator, data: SandboxData, person: Person, at: datetime) -> str:
    rng = gen.rng
    typed = gen.typed(person)
    values = {
        **typed,
        "consent:sales_contact": person.consent_sales,
        "consent:email_marketing": person.consent_newsletter,
        "message": person.message,
    }
    submission_id = "".join(rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", k=6))
    form = rng.choice(FORMS)
    questions(data, form)  # the form's owner titled every question, answered or not
    submission = {
        "id": submission_id,
        "formId": form,
        "respondentId": f"r{submission_id}",
        "isCompleted": True,
        "submittedAt": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "responses": [
            {"questionId": qid, "answer": values[field]}
            for qid, _, field in QUESTIONS
            if values[field] is not None
        ],
    }
    data.records("tally").setdefault(submission["formId"], []).append(submission)
    return submission_id
