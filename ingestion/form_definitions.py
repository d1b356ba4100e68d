"""Each configured form's questions, read from the platform's own form-definition API: what
`leadpipe forms` lists next to the field mapping.

A question is named as the mapping names it (Meta field key or disclaimer checkbox key, Typeform
ref, HubSpot property, Tally or Zoom question title), with the label people read and the
platform's kind of field.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingestion.connector import Connector

CONSENT_KINDS = {"checkbox", "consent", "legal", "yes_no", "boolean", "booleancheckbox"}
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


# source section -> (connector platform, reader of one form's questions)
READERS: dict[str, tuple[str, Callable[[Connector, str], list[Question]]]] = {
    "meta_lead_ads": ("meta_lead_ads", _meta),
    "typeform": ("typeform", _typeform),
    "hubspot_forms": ("hubspot_forms", _hubspot_forms),
    "tally": ("tally", _tally),
    "zoom": ("zoom_registrants", _zoom),
}
