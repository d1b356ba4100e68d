"""Keyed hashes (HMAC-SHA256) of emails and phones: how the suppression list, erasure requests
and logs name a person without holding the identifier.

The key comes from LEADPIPE_PSEUDONYM_KEY. `keyed_hash_sql` computes the same HMAC inside
DuckDB (two SHA-256 passes over the key's inner and outer pads), so a whole segment is checked
against the suppression list in one set-based query.
"""

import hashlib
import hmac
import os

from leadpipe.errors import ConfigError

KEY_SETTING = "LEADPIPE_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16
BLOCK_SIZE = 64  # SHA-256's block size, in bytes


def pseudonym_key() -> bytes:
    """The secret keying every hash, or one message naming the setting to fix."""
    key = os.environ.get(KEY_SETTING, "")
    if len(key) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"{KEY_SETTING} is not set (or shorter than {MIN_KEY_LENGTH} characters): set it to "
            "a long random secret, e.g. the output of `openssl rand -hex 32`, and keep it: the "
            "suppression list is keyed with it."
        )
    return key.encode()


def keyed_hash(identifier: str) -> str:
    """HMAC-SHA256 of an already normalised identifier, as lowercase hex."""
    return hmac.new(pseudonym_key(), identifier.encode(), hashlib.sha256).hexdigest()


def _blob(data: bytes) -> str:
    return "'" + "".join(f"\\x{byte:02x}" for byte in data) + "'::blob"


def keyed_hash_sql(expression: str) -> str:
    """A DuckDB expression equal to `keyed_hash` of a varchar expression (null stays null)."""
    key = pseudonym_key()
    if len(key) > BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK_SIZE, b"\0")
    inner = _blob(bytes(byte ^ 0x36 for byte in key))
    outer = _blob(bytes(byte ^ 0x5C for byte in key))
    return f"sha256({outer} || unhex(sha256({inner} || encode({expression}))))"
