"""Phone numbers to E.164 with country and line type (phonenumbers, offline).

A national number is read in the country the record gives (a name or a code, as typed).
"""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from enrichment.countries import iso_code

COLUMNS = ("phone_raw", "default_region", "phone_e164", "is_valid", "country_code", "line_type")
LINE_TYPES = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.VOIP: "voip",
}


def enrich_phone(raw: str, default_region: str) -> tuple:
    """One row of `ops.enrichment_phones`, reading national numbers in `default_region`, a
    country as typed."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, iso_code(default_region))
    except NumberParseException:
        return (raw, default_region, None, False, None, None)
    if not phonenumbers.is_valid_number(number):
        return (raw, default_region, None, False, None, None)
    return (
        raw,
        default_region,
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        True,
        phonenumbers.region_code_for_number(number),
        LINE_TYPES.get(phonenumbers.number_type(number), "other"),
    )
