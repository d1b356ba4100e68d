"""Each configured form's questions, read from the platform's own form-definition API: what
`leadpipe forms` lists next to the field mapping.

A question is named as the mapping names it (Meta field key or disclaimer checkbox key, Typeform
ref, HubSpot property, Tally or Zoom question title, LinkedIn predefined field or question and
consent id), with the label people read and the platform's kind of field.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from ingestion.connector import Connector

CONSENT_KINDS = {"checkbox", "consent", "legal", "yes_no", "boolean", "single_checkbox"}
CONSENT_WORDING = re.compile(  # opt-in wording in French, English, German and Spanish
    r"consent|opt.?in|agree|accept|newsletter|subscri|gdpr|rgpd|dsgvo|privacy|marketing|contact"
    r"|rappel|autoris|abonn|einwillig|zustimm|datenschutz|werbung|acepto|consiento|autorizo"
    r"|privacidad|bolet|comercial|commercial|legal|disclaimer",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    key: str  # what the field mapping names
    label: str  # what people read
    kind: str  # the platform's kind of field

    @property
    def looks_like_consent(self) -> bool:
        return self.kind.lower() in CONSENT_KINDS or bool(
            CONSENT_WORDING.search(f"{self.key} {self.label}")
        )


def _localized(text: dict | None) -> str:
    """A LinkedIn localized string, in whichever locale it has."""
    return next(iter((text or {}).get("localized", {}).values()), "")


def _linkedin(connector: Connector, account: str) -> dict[str, list[Question]]:
    """Every lead form of a sponsored account: its questions by predefined field (else id) and
    its consents by id, as the field mapping names them."""
    owner = quote(f"urn:li:sponsoredAccount:{account}", safe="")
    body = connector.get(
        f"{connector.base_url}/rest/leadForms?q=owner&owner=(sponsoredAccount:{owner})"
    )
    forms = {}
    for form in body.get("elements", []):
        content = form.get("content", {})
        questions = [
            Question(
                question.get("predefinedField") or str(question["questionId"]),
                _localized(question.get("question")) or question.get("name", ""),
                "predefined" if question.get("predefinedField") else "custom",
            )
            for question in content.get("questions", [])
        ]
        consents = [
            Question(str(consent["consentId"]), _localized(consent.get("content")), "consent")
            for consent in content.get("legalInfo", {}).get("consents", [])
        ]
        forms[str(form["id"])] = questions + consents
    return forms


def _one(read: Callable[[Connector, str], list[Question]]):
    """A reader of one form as a reader of a stream holding that one form."""
    return lambda connector, form: {form: read(connector, form)}


def _meta(connector: Connector, form: str) -> list[Question]:
    body = connector.get(
        f"{connector.base_url}/{form}",
        {"fields": "questions,legal_content{custom_disclaimer{checkboxes}}"},
    )
    questions = [
        Question(q["key"], q.get("label") or q["key"], q.get("type", "CUSTOM").lower())
        for q in body.get("questions", [])
    ]
    disclaimer = body.get("legal_content", {}).get("custom_disclaimer", {})
    return questions + [
        Question(box["key"], box.get("text") or box["key"], "checkbox")
        for box in disclaimer.get("checkboxes", [])
    ]


def _typeform(connector: Connector, form: str) -> list[Question]:
    body = connector.get(f"{connector.base_url}/forms/{form}")
    questions = []
    fields = list(body.get("fields", []))
    while fields:  # groups hold their own fields
        field = fields.pop(0)
        fields += field.get("properties", {}).get("fields", [])
        if field.get("type") not in ("group", "statement"):
            key = field.get("ref") or field["id"]
            questions.append(Question(key, field.get("title") or key, field.get("type", "")))
    return questions


def _hubspot_forms(connector: Connector, form: str) -> list[Question]:
    body = connector.get(f"{connector.base_url}/marketing/v3/forms/{form}")
    return [
        Question(field["name"], field.get("label") or field["name"], field.get("fieldType", ""))
        for group in body.get("fieldGroups", [])
        for field in group.get("fields", [])
    ]


def _tally(connector: Connector, form: str) -> list[Question]:
    body = connector.get(f"{connector.base_url}/forms/{form}/submissions", {"limit": 1})
    return [Question(q["title"], q["title"], q.get("type", "")) for q in body.get("questions", [])]


def _zoom(connector: Connector, webinar: str) -> list[Question]:
    body = connector.get(f"{connector.base_url}/webinars/{webinar}/registrants/questions")
    standard = [
        Question(q["field_name"], q["field_name"], "standard") for q in body.get("questions", [])
    ]
    custom = [
        Question(q["title"], q["title"], q.get("type", "custom"))
        for q in body.get("custom_questions", [])
    ]
    return standard + custom


# source section -> (connector platform, streams key, reader: form id -> its questions)
READERS: dict[str, tuple[str, str, Callable[[Connector, str], dict[str, list[Question]]]]] = {
    "meta_lead_ads": ("meta_lead_ads", "forms", _one(_meta)),
    "typeform": ("typeform", "forms", _one(_typeform)),
    "hubspot_forms": ("hubspot_forms", "forms", _one(_hubspot_forms)),
    "tally": ("tally", "forms", _one(_tally)),
    "zoom": ("zoom_registrants", "webinars", _one(_zoom)),
    "linkedin_lead_sync": ("linkedin_lead_sync", "accounts", _linkedin),
}
