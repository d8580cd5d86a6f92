"""API keys: compared in constant time against SHA-256 digests.

Deployed stages hold only digests (``RAPPORT_STORE_KEY_SHA256``,
``RAPPORT_ADMIN_KEY_SHA256``). In local mode (``RAPPORT_LOCAL=1``) the plain dev keys
``RAPPORT_STORE_KEY`` and ``RAPPORT_ADMIN_KEY`` are accepted and hashed on load, with
the documented defaults ``dev-store-key`` and ``dev-admin-key``.
"""

from __future__ import annotations

import hashlib
import hmac
import os

DEV_DEFAULTS = {"store": "dev-store-key", "admin": "dev-admin-key"}


def digest(key: str) -> str:
    """Hex SHA-256 of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def expected_digests(role: str) -> list[str]:
    """The accepted key digests for ``role`` (``store`` or ``admin``); several allow rotation."""
    variable = f"RAPPORT_{role.upper()}_KEY"
    hashed = os.environ.get(f"{variable}_SHA256", "")
    digests = [value.strip().lower() for value in hashed.split(",") if value.strip()]
    if os.environ.get("RAPPORT_LOCAL") == "1":
        digests.append(digest(os.environ.get(variable) or DEV_DEFAULTS[role]))
    return digests


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def is_valid(role: str, header: str | None) -> bool:
    """Whether ``header`` carries a valid key for ``role`` (constant-time comparison)."""
    token = bearer_token(header)
    if token is None:
        return False
    given = digest(token)
    valid = False
    for expected in expected_digests(role):
        valid |= hmac.compare_digest(given, expected)
    return valid
