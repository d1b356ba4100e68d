"""Job title (French or English, as typed) to seniority and department, offline.

Keyword rules, first match wins: the ordered lists below are the whole model. A title that
matches no seniority rule is an individual contributor; one matching no department is "other".
"""

import re
import unicodedata

COLUMNS = ("job_title", "seniority", "department")
SENIORITY_RULES = (  # (level, words); titles are folded: lowercase, no accents
    ("student", r"student|etudiant\w*|stagiaire|intern|internship|alternan\w*|apprenti\w*"),
    ("job_seeker", r"job seeker|looking for|open to work|en recherche|demandeur d emploi"),
    (
        "executive",
        r"ceo|cto|cfo|coo|cmo|cio|chief|founder|co founder|fondateur|fondatrice|president"
        r"|presidente|dg|pdg|directeur general|directrice generale|managing director|owner"
        r"|gerant|gerante|partner|associe",
    ),
    ("vice_president", r"vp|svp|evp|vice president"),
    ("director", r"director|directeur|directrice|head|dsi|daf|drh"),
    ("manager", r"manager|responsable|chef|lead|team leader|supervisor|superviseur"),
)
DEPARTMENT_RULES = (
    ("sales", r"sales|commercial|commerciale|vente|ventes|business development|account"),
    ("marketing", r"marketing|cmo|growth|communication|brand|marque|acquisition|seo"),
    (
        "engineering_it",
        r"cto|cio|dsi|it|engineer|engineering|ingenieur|developer|developpeur|software|tech"
        r"|technique|informatique|data|devops",
    ),
    ("finance", r"cfo|daf|finance|financier|financiere|comptable|accounting|controller"),
    ("human_resources", r"hr|drh|rh|human resources|ressources humaines|talent|recrut\w*"),
    ("operations", r"coo|operations|operation|office|logistique|logistics|supply|achats"),
    ("customer_success", r"customer|client|clients|support"),
    (
        "general_management",
        r"ceo|founder|co founder|fondateur|fondatrice|president|presidente|dg|pdg|directeur"
        r" general|directrice generale|managing director|owner|gerant|gerante",
    ),
    ("project_management", r"project|projet|program|programme|product|produit"),
    ("consulting", r"consultant|consultante|consulting|conseil"),
)


def _rules(rules: tuple) -> tuple:
    return tuple((name, re.compile(rf"\b(?:{words})\b")) for name, words in rules)


_SENIORITY = _rules(SENIORITY_RULES)
_DEPARTMENT = _rules(DEPARTMENT_RULES)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


def _first_match(rules: tuple, title: str) -> str | None:
    return next((name for name, pattern in rules if pattern.search(title)), None)


def enrich_job_title(raw: str) -> tuple:
    """One row of `ops.enrichment_job_titles`, in COLUMNS order."""
    title = _fold(raw)
    if not title:
        return (raw, None, None)
    seniority = _first_match(_SENIORITY, title) or "individual_contributor"
    return (raw, seniority, _first_match(_DEPARTMENT, title) or "other")
