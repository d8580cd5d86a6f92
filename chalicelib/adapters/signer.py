"""Signed, expiring tokens for public links (preference centre, tracking, surveys).

A token is ``base64url(json payload) "." base64url(HMAC-SHA256)``; the payload holds the
purpose, the subject and the expiry. Written by hand on the standard library because
it is twenty lines and adds no dependency to every Lambda.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import datetime

MIN_SECRET_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _checked(secret: bytes) -> bytes:
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the signing secret must be at least {MIN_SECRET_BYTES} bytes")
    return secret


class HmacLinkSigner:
    """Implements :class:`chalicelib.services.ports.LinkSigner`.

    ``secret`` is the key, or a callable returning the current key (a secret read at run
    time, ``chalicelib.adapters.secrets.ManagedSecret``), asked on every use.
    """

    def __init__(self, secret: bytes | Callable[[], bytes]) -> None:
        if isinstance(secret, bytes):
            key = _checked(secret)
            self._secret: Callable[[], bytes] = lambda: key
        else:
            self._secret = secret

    def _key(self) -> bytes:
        return _checked(self._secret())

    @staticmethod
    def _mac(payload: str, key: bytes) -> str:
        return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest())

    def sign(self, purpose: str, subject: str, expires_at: datetime) -> str:
        """A token that proves ``subject`` for ``purpose`` until ``expires_at``."""
        body = json.dumps(
            {"p": purpose, "s": subject, "e": int(expires_at.timestamp())},
            separators=(",", ":"),
        )
        payload = _b64(body.encode("utf-8"))
        return f"{payload}.{self._mac(payload, self._key())}"

    def verify(self, purpose: str, token: str, now: datetime) -> str | None:
        """The subject if ``token`` is genuine, for ``purpose`` and unexpired; else ``None``."""
        key = self._key()  # outside the try: a bad key is not a bad token
        try:
            payload, mac = token.split(".", 1)
            expected = self._mac(payload, key).encode("ascii")
            if not hmac.compare_digest(mac.encode("utf-8"), expected):
                return None
            data = json.loads(_unb64(payload))
        except (ValueError, UnicodeError, TypeError):
            return None
        if data.get("p") != purpose or int(data.get("e", 0)) < now.timestamp():
            return None
        subject = data.get("s")
        return subject if isinstance(subject, str) else None
