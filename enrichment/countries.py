"""Country as people type it ("France", "Royaume-Uni", "uk", "FRA") to its ISO 3166-1 alpha-2
code, offline: names, official and common names from pycountry, in English and French."""

import gettext
import unicodedata
from functools import cache

import pycountry

COLUMNS = ("country_raw", "country_code")
# What people type that no standard lists: informal names and the usual abbreviations.
ALIASES = {
    "uk": "GB",
    "england": "GB",
    "angleterre": "GB",
    "scotland": "GB",
    "ecosse": "GB",
    "wales": "GB",
    "great britain": "GB",
    "grande bretagne": "GB",
    "usa": "US",
    "us": "US",
    "etats unis": "US",
    "america": "US",
    "holland": "NL",
    "hollande": "NL",
    "russia": "RU",
    "russie": "RU",
    "south korea": "KR",
    "coree du sud": "KR",
    "deutschland": "DE",
    "espana": "ES",
    "italia": "IT",
    "schweiz": "CH",
    "svizzera": "CH",
    "nederland": "NL",
    "belgie": "BE",
    "osterreich": "AT",
    "polska": "PL",
}


def _fold(text: str) -> str:
    """Lowercase, accents off, punctuation as spaces: 'États-Unis' -> 'etats unis'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


@cache
def _names() -> dict[str, str]:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    names: dict[str, str] = {}
    for country in pycountry.countries:
        spellings = [country.alpha_2, country.alpha_3, country.name]
        spellings += [getattr(country, key, None) for key in ("official_name", "common_name")]
        spellings += [french.gettext(name) for name in spellings[2:] if name]
        for spelling in filter(None, spellings):
            names.setdefault(_fold(spelling), country.alpha_2)
    return {**names, **ALIASES}


@cache
def iso_code(raw: str | None) -> str | None:
    """The ISO alpha-2 code of a country name or code, or None when it is not a country."""
    if not raw:
        return None
    return _names().get(_fold(raw))


def enrich_country(raw: str) -> tuple:
    """One row of `ops.enrichment_countries`, in COLUMNS order."""
    return (raw, iso_code(raw))
