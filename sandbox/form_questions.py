"""The questions of the sandbox's forms as their owners would name them: each form, each seed,
its own keys and labels, in French or English. The generator asks `FormQuestions.name` what a
form calls a field, and the demo's leadpipe.yml maps those names back (`mapping`), as a user
would after reading `leadpipe forms`."""

import random
from collections import defaultdict

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
