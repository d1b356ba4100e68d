"""Strip personal data (emails, phone numbers) from text headed for logs or error messages."""

import re

_EMAIL = re.compile(r"[^\s@\"'<>(),;:]+@[^\s@\"'<>(),;:]+")
_PHONE = re.compile(r"(?<![\w/])(?:\+|0)\d[\d .\-()]{6,}\d")


def redact(text: str) -> str:
    """Replace every email address and phone-number-like run of digits with a placeholder."""
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))
