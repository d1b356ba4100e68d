"""The questions of the sandbox's forms as their owners would name them: each form, each seed,
its own keys and labels, in French or English. The generator asks `FormQuestions.name` what a
form calls a field, and the demo's leadpipe.yml maps those names back (`mapping`), as a user
would after reading `leadpipe forms`."""

import random
from collections import defaultdict

from sandbox.channels import linkedin_lead_sync, tally

# What a marketer names each question: as a key (Meta checkbox keys, Typeform refs, HubSpot
# properties, Intercom attributes) or as the label people read (Tally, Zoom, Google Ads).
KEYS = {
    "consent:sales_contact": (
        "sales_contact",
        "rappel_commercial",
        "ok_contact_commercial",
        "callback_optin",
        "contact_sales_ok",
        "accord_prise_de_contact",
    ),
    "consent:email_marketing": (
        "newsletter",
        "optin_news",
        "abonnement_lettre",
        "marketing_emails_ok",
        "recevoir_actus",
        "nl_signup",
    ),
    "first_name": ("first_name", "prenom", "firstname_q", "votre_prenom"),
    "last_name": ("last_name", "nom", "lastname_q", "nom_de_famille"),
    "company": ("company", "societe", "organisation", "entreprise_nom"),
    "job_title": ("job_title", "fonction", "poste_occupe", "role"),
    "country": ("country", "pays", "pays_residence"),
    "message": ("message", "votre_message", "commentaire", "details_projet"),
    "hand_raiser": ("intent", "objectif", "besoin", "what_brings_you"),
}
LABELS = {
    "consent:sales_contact": (
        "J'accepte d'être contacté par un commercial",
        "Accepter d'être recontacté par notre équipe commerciale",
        "Can our sales team contact you?",
        "I agree to be contacted by a sales representative",
        "Souhaitez-vous être rappelé ?",
    ),
    "consent:email_marketing": (
        "Je m'abonne à la newsletter",
        "Would you like our newsletter?",
        "J'accepte de recevoir des offres par e-mail",
        "Subscribe me to product news",
        "Recevoir nos actualités",
    ),
    "first_name": ("Prénom", "First name", "Votre prénom"),
    "last_name": ("Nom", "Last name", "Nom de famille"),
    "company": ("Entreprise", "Company", "Nom de la société"),
    "job_title": ("Poste", "Job title", "Votre fonction"),
    "country": ("Pays", "Country"),
    "message": ("Votre message", "How can we help?", "Précisez votre besoin"),
    "hand_raiser": ("Que souhaitez-vous ?", "What brings you here?"),
}


class FormQuestions:
    """Deterministic for a seed: the same form gets the same names within a run."""

    def __init__(self, seed: int):
        self._rng = random.Random(f"form-questions-{seed}")
        self._names: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)

    def name(self, platform: str, form: str, field: str, labels: bool = False) -> str:
        """What this form calls `field` (a canonical field, e.g. `consent:sales_contact`)."""
        names = self._names[(platform, form)]
        if field not in names:
            pool = (LABELS if labels else KEYS)[field]
            taken = set(names.values())
            names[field] = self._rng.choice([name for name in pool if name not in taken])
        return names[field]

    def declare(self, platform: str, form: str, question: str, field: str) -> str:
        """A name the platform fixed (a LinkedIn consent id), mapped like the others."""
        self._names[(platform, form)][field] = question
        return question

    def mapping(self) -> dict[str, dict[str, dict[str, str]]]:
        """platform -> form -> question -> field, for leadpipe.yml's `fields`."""
        mapping: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
        for (platform, form), names in self._names.items():
            mapping[platform][form] = {question: field for field, question in names.items()}
        return mapping


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def meta_form(data, form: str) -> dict:
    """A Meta lead form's definition: prefilled questions and custom disclaimer checkboxes."""
    standard = ("full_name", "email", "phone_number", "company_name", "job_title", "country")
    boxes = [
        data.questions.name("meta_lead_ads", form, purpose)
        for purpose in ("consent:sales_contact", "consent:email_marketing")
    ]
    return {
        "id": form,
        "questions": [{"key": k, "label": _label(k), "type": k.upper()} for k in standard],
        "legal_content": {
            "custom_disclaimer": {
                "checkboxes": [{"key": box, "text": _label(box)} for box in boxes]
            }
        },
    }


TYPEFORM_FIELDS = (  # (field, Typeform type)
    ("first_name", "short_text"),
    ("last_name", "short_text"),
    ("company", "short_text"),
    ("job_title", "short_text"),
    ("message", "long_text"),
    ("country", "dropdown"),
    ("consent:sales_contact", "yes_no"),
    ("consent:email_marketing", "yes_no"),
)


def typeform_form(data, form: str) -> dict:
    """A Typeform form's definition: its fields with their refs and types."""
    fields = [
        {"id": f"{form}_mail", "ref": f"{form}_mail", "title": "Votre e-mail", "type": "email"},
        {"id": f"{form}_tel", "ref": f"{form}_tel", "title": "Téléphone", "type": "phone_number"},
    ]
    named = [
        *TYPEFORM_FIELDS,
        *((("hand_raiser", "multiple_choice"),) if form == "contactUs" else ()),
    ]
    for field, kind in named:
        ref = data.questions.name("typeform", form, field)
        fields.append({"id": f"f_{ref}", "ref": ref, "title": _label(ref), "type": kind})
    return {"id": form, "fields": fields}


HUBSPOT_PROPERTIES = ("firstname", "lastname", "email", "phone", "company", "jobtitle", "country")


def hubspot_form(data, form: str) -> dict:
    """A HubSpot form's definition: its fields by contact property."""
    named = [
        (data.questions.name("hubspot_forms", form, field), kind)
        for field, kind in (
            ("hand_raiser", "dropdown"),
            ("consent:sales_contact", "single_checkbox"),
            ("consent:email_marketing", "single_checkbox"),
        )
    ]
    fields = [(name, "single_line_text") for name in HUBSPOT_PROPERTIES] + [
        ("message", "multi_line_text"),
        *named,
    ]
    return {
        "id": form,
        "fieldGroups": [
            {"fields": [{"name": n, "label": _label(n), "fieldType": k}]} for n, k in fields
        ],
    }


ZOOM_STANDARD = ("email", "first_name", "last_name", "org", "job_title", "phone", "country")


def zoom_questions(data, webinar: str) -> dict:
    """A Zoom webinar's registration questions."""
    title = data.questions.name("zoom", webinar, "consent:sales_contact", labels=True)
    return {
        "questions": [{"field_name": name, "required": name == "email"} for name in ZOOM_STANDARD],
        "custom_questions": [{"title": title, "type": "single_radio", "required": False}],
    }


def name_every_question(data) -> None:
    """Give every form its owner's names, answered or not, so the mapping covers them all."""
    for form in data.meta_leads:
        meta_form(data, form)
    for form in data.typeform_responses:
        typeform_form(data, form)
    for form in data.records("hubspot_forms"):
        hubspot_form(data, form)
    for webinar in data.records("zoom_registrants"):
        zoom_questions(data, webinar)
    for form in data.records("tally"):
        tally.questions(data, form)
    for form in linkedin_lead_sync.LEAD_FORMS:
        for consent, purpose in linkedin_lead_sync.CONSENTS:
            data.questions.declare(linkedin_lead_sync.PLATFORM, str(form), str(consent), purpose)
