"""`leadpipe forms`: every configured form's questions, read from the platform, next to the field
each maps to; consent-like questions no mapping names are flagged, and `--write` adds a
suggested mapping for the unmapped ones to leadpipe.yml (comments kept), marked for review."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ingestion.field_mapping import mapped_field, mapping_rows
from ingestion.form_definitions import READERS, Question
from ingestion.registry import CONNECTORS
from leadpipe.config import LeadpipeConfig
from leadpipe.errors import LeadpipeError
from leadpipe.http import reachable

REVIEW = "suggested by leadpipe forms: review"
GUESSES = (  # wording -> field, checked in this order on the question's key and label
    (
        r"sales|commercial|rappel|recontact|call|t[ée]l[ée]phon|anruf|llamar",
        "consent:sales_contact",
    ),
    (
        r"news|lettre|letter|marketing|offre|offer|actualit|e-?mail|abonn|subscri|bolet|werbung",
        "consent:email_marketing",
    ),
)
PROFILE_GUESSES = (
    (r"pr[ée]nom|first.?name|vorname|nombre", "first_name"),
    (r"^nom$|nom.de.famille|last.?name|surname|nachname|apellido", "last_name"),
    (r"soci[ée]t[ée]|company|entreprise|organi[sz]ation|firma|empresa|^org$", "company"),
    (r"poste|fonction|job|title|role|position|beruf|cargo", "job_title"),
    (r"pays|country|land|pa[ií]s", "country"),
    (r"message|comment|besoin|help|aide|question|nachricht|mensaje", "message"),
)


@dataclass
class FormReview:
    section: str
    form: str
    questions: list[tuple[Question, str | None]] = field(default_factory=list)
    problem: str | None = None  # why the form's definition could not be read

    def unmapped(self) -> list[Question]:
        return [question for question, mapped in self.questions if mapped is None]


def review_forms(config: LeadpipeConfig) -> list[FormReview]:
    """Each enabled source's forms with their questions and current mapping."""
    rows = mapping_rows(config)
    reviews = []
    for section, (platform, streams_key, read) in READERS.items():
        source = config.source(section)
        streams = getattr(source, streams_key)
        if not source.enabled or not streams:
            continue
        connector = CONNECTORS[platform].from_environment(source.base_url, None, source.options)
        for stream in streams:
            try:
                with reachable(f"sources.{section}.base_url"):
                    forms = read(connector, stream)
            except LeadpipeError as error:
                reviews.append(FormReview(section, stream, problem=str(error)))
                continue
            for form, questions in forms.items():
                mapped = [(q, mapped_field(rows, section, form, q.key, q.kind)) for q in questions]
                reviews.append(FormReview(section, form, mapped))
    return reviews


def suggestion(question: Question) -> str:
    """A field to map an unmapped question to; the user reviews it."""
    text = f"{question.key} {question.label}".lower()
    if question.looks_like_consent:
        return next((f for pattern, f in GUESSES if re.search(pattern, text)), "ignore")
    return next((f for pattern, f in PROFILE_GUESSES if re.search(pattern, text)), "ignore")


def write_suggestions(path: Path, reviews: list[FormReview]) -> int:
    """Add a suggested mapping for every unmapped question to leadpipe.yml, each marked for
    review; the file's comments and order stay. Returns how many were added."""
    yaml = YAML()
    yaml.preserve_quotes = True
    document = yaml.load(path.read_text())
    added = 0
    for review in reviews:
        if not review.unmapped():
            continue
        source = document.setdefault("sources", CommentedMap()).setdefault(
            review.section, CommentedMap()
        )
        fields = source.setdefault("fields", CommentedMap())
        form = fields.setdefault(review.form, CommentedMap())
        for question in review.unmapped():
            form[question.key] = suggestion(question)
            form.yaml_add_eol_comment(REVIEW, question.key)
            added += 1
    with path.open("w") as file:
        yaml.dump(document, file)
    return added
