"""Pseudonymous codes: random, short enough to read over the phone, with a check character.

The alphabet has 31 symbols (no 0/O, 1/I/L) so that it is a prime; a weighted check symbol
modulo a prime catches every single wrong character and every swap of two neighbours.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
# Cyrillic letters that look like Latin ones, typed on a Russian keyboard layout.
_LOOKALIKES = str.maketrans("АВСЕНКМРТХУ", "ABCEHKMPTXY")
BODY_LENGTH = 8


def _check_symbol(body: str) -> str:
    total = sum((position + 1) * _VALUE[symbol] for position, symbol in enumerate(body))
    return ALPHABET[(-total) % len(ALPHABET)]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + _check_symbol(body)


def normalise_code(raw: str) -> str | None:
    """The canonical form of a typed code, or None if it is not a valid code."""
    cleaned = "".join(ch for ch in raw.upper().translate(_LOOKALIKES) if ch.isalnum())
    if len(cleaned) != BODY_LENGTH + 1 or any(ch not in _VALUE for ch in cleaned):
        return None
    if _check_symbol(cleaned[:-1]) != cleaned[-1]:
        return None
    return cleaned


def format_code(code: str) -> str:
    """``K7QM4TXR9`` → ``K7QM-4TXR-9`` for reading aloud."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
