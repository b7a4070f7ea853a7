"""Withdrawal codes: made, normalised for checking, and sealed while a receipt shows them.

Only a hash of a code is stored (ConsentRecord.set_withdrawal_code); the code in clear
lives only on the contributor's receipt and in their e-mail."""

from __future__ import annotations

import re
import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_withdrawal_code() -> str:
    """Twelve characters in three groups: about 60 bits, read aloud easily on the phone."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str | None) -> str:
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def seal_code(code: str) -> tuple[str, str]:
    """Split a code into two random-looking halves (a one-time pad): (sealed, key), hex.
    The server keeps the sealed half and the browser the key, so neither holds the code
    in clear and the receipt can still show it once (issue 10, point 3)."""
    raw = code.encode()
    key = secrets.token_bytes(len(raw))
    return bytes(a ^ b for a, b in zip(raw, key, strict=True)).hex(), key.hex()


def unseal_code(sealed: str | None, key: str | None) -> str | None:
    """The code from its two halves, or None if either is missing or damaged."""
    try:
        raw, pad = bytes.fromhex(sealed or ""), bytes.fromhex(key or "")
    except ValueError:
        return None
    if not raw or len(raw) != len(pad):
        return None
    return bytes(a ^ b for a, b in zip(raw, pad, strict=True)).decode("ascii", errors="replace")
