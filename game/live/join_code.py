"""The session's join code: one spelling, one comparison, for every station and page that joins.

A code such as ``K7QF-M2XP`` (40 bits from :mod:`secrets`) is compared without case, spaces or
dashes and in constant time, whether a trainee's station or the dispatcher's page sends it.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

#: Letters of a join code: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_join_code(length: int = 8) -> str:
    """A fresh join code such as ``K7QF-M2XP`` (40 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return f"{raw[:4]}-{raw[4:]}" if length == 8 else raw


def normal_code(code: str) -> str:
    """A code as typed, compared without case, spaces or dashes."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def code_matches(given: Any, expected: str) -> bool:
    """Whether ``given`` is the join code: constant time, whatever was typed."""
    if not isinstance(given, str) or len(given) > 64:
        return False
    return hmac.compare_digest(normal_code(given).encode(), normal_code(expected).encode())
