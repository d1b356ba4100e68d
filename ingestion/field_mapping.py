"""What each form's questions mean: the platforms' standard fields, and the mapping the user
writes per form in `leadpipe.yml` (`sources.<source>.fields`).

Staging hands every answer on as (question, kind, value): the question's key, ref, id or label as
the platform names it, and the platform's kind of field. The intermediate models join those
answers to the rows built here (a dbt var), so no SQL names a form's question. A row's
`question` is matched trimmed and case-insensitively; `@<kind>` matches a kind of field (a
Typeform field of type email). The lowest `priority` wins: the form's own mapping, then the
source's `"*"` mapping, then the platform's standard fields.
"""

from leadpipe.config import LeadpipeConfig

EVERY_FORM = "*"
USER_FORM, USER_SOURCE, STANDARD, STANDARD_KIND = 1, 2, 3, 4

# Fields the platforms themselves define, by the key their APIs give them.
_CONTACT = {
    "email": "email",
    "first_name": "first_name",
    "last_name": "last_name",
    "full_name": "full_name",
    "job_title": "job_title",
    "country": "country",
}
# the predefined fields of ad lead forms (Meta, LinkedIn, Google Ads), lowercased
_AD_FORM = _CONTACT | {
    "work_email": "email",
    "phone_number": "phone",
    "company_name": "company",
}
STANDARD_FIELDS: dict[str, dict[str, str]] = {
    "meta_lead_ads": _AD_FORM
    | {
        "work_phone_number": "phone",
        **dict.fromkeys(
            (
                "city",
                "state",
                "province",
                "zip_code",
                "post_code",
                "street_address",
                "date_of_birth",
                "gender",
                "marital_status",
                "relationship_status",
                "military_status",
                "job_title_category",
            ),
            "ignore",
        ),
    },
    "typeform": {"@email": "email", "@phone_number": "phone"},
    "hubspot_forms": {
        "email": "email",
        "firstname": "first_name",
        "lastname": "last_name",
        "phone": "phone",
        "mobilephone": "phone",
        "company": "company",
        "jobtitle": "job_title",
        "country": "country",
        "message": "message",
        **dict.fromkeys(("city", "state", "zip", "address", "website", "hs_context"), "ignore"),
    },
    "linkedin_lead_sync": _AD_FORM
    | {
        "work_phone": "phone",
        **dict.fromkeys(
            (
                "city",
                "state",
                "zip_code",
                "job_function",
                "seniority",
                "company_size",
                "industry",
                "gender",
            ),
            "ignore",
        ),
    },
    "google_ads": _AD_FORM
    | {
        "work_phone": "phone",
        **dict.fromkeys(("postal_code", "city", "region", "street_address"), "ignore"),
    },
    "tally": {"@input_email": "email", "@input_phone_number": "phone"},
    "zoom": _CONTACT
    | {
        "name": "full_name",
        "user_email": "email",
        "org": "company",
        "phone": "phone",
        "comments": "message",
        **dict.fromkeys(
            (
                "address",
                "city",
                "zip",
                "state",
                "industry",
                "purchasing_time_frame",
                "role_in_purchase_process",
                "no_of_employees",
            ),
            "ignore",
        ),
    },
    "gotowebinar": {
        "email": "email",
        "firstname": "first_name",
        "lastname": "last_name",
        "phone": "phone",
        "organization": "company",
        "jobtitle": "job_title",
        "country": "country",
        "questionsandcomments": "message",
    },
    "intercom": {
        "name": "full_name",
        "email": "email",
        "phone": "phone",
        "country_code": "country",
        "subscribed_to_emails": "consent:email_marketing",
    },
}


def mapping_rows(config: LeadpipeConfig) -> list[dict[str, str | int]]:
    """The mapping as rows (platform, form_id, question, field, priority) for dbt."""
    rows = [
        _row(platform, EVERY_FORM, question, field, STANDARD)
        for platform, fields in STANDARD_FIELDS.items()
        for question, field in fields.items()
    ]
    for platform, source in config.sources.items():
        for form, fields in source.fields.items():
            priority = USER_SOURCE if form == EVERY_FORM else USER_FORM
            rows += [_row(platform, form, q, f, priority) for q, f in fields.items()]
    return rows


def _row(platform: str, form: str, question: str, field: str, priority: int) -> dict:
    kind_match = question.startswith("@")
    return {
        "platform": platform,
        "form_id": form,
        "question": question.strip().lower(),
        "field": field,
        "priority": priority + (STANDARD_KIND - STANDARD if kind_match else 0),
    }


def mapped_field(
    rows: list[dict], platform: str, form: str, question: str, kind: str
) -> str | None:
    """The field `question` of `form` maps to, as int_contacts_unioned decides it; None when
    no mapping names it."""
    keys = {question.strip().lower(), f"@{kind.lower()}"}
    matches = [
        row
        for row in rows
        if row["platform"] == platform
        and row["form_id"] in (form, EVERY_FORM)
        and row["question"] in keys
    ]
    return (
        min(matches, key=lambda row: (row["priority"], row["field"]))["field"] if matches else None
    )
