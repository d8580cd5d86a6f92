"""The carrier webhook's signature: a timestamp and an HMAC over it and the raw body.

``X-Rapport-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">``, as
Stripe signs its webhooks. The timestamp is signed with the body, so a captured request
cannot be replayed once it is older than :data:`TOLERANCE` (nor sent with a timestamp
further ahead of our clock than that). Several ``v1`` entries are allowed (a carrier
signing with the old and the new key while a key is rotated).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from chalicelib.http.exceptions import Unauthorized

SIGNATURE_HEADER = "X-Rapport-Signature"
SCHEME = "v1"
TOLERANCE = timedelta(minutes=5)


def signed_payload(timestamp: int, raw_body: bytes) -> bytes:
    """What is signed: the timestamp, a dot, then the exact bytes of the body."""
    return str(timestamp).encode("ascii") + b"." + raw_body


def _digest(secret: bytes, raw_body: bytes, timestamp: int) -> str:
    return hmac.new(secret, signed_payload(timestamp, raw_body), hashlib.sha256).hexdigest()


def sign(secret: bytes, raw_body: bytes, timestamp: int) -> str:
    """The header value a carrier sends for ``raw_body`` at ``timestamp`` (unix seconds)."""
    return f"t={timestamp},{SCHEME}={_digest(secret, raw_body, timestamp)}"


def _parse(header: str | None) -> tuple[int, list[str]]:
    """The timestamp and the ``v1`` signatures of a header; 401 when malformed."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == SCHEME and value:
            signatures.append(value.strip().lower())
    if timestamp is None or not signatures:
        message = f"missing or malformed signature: expected t=<unix time>,{SCHEME}=<hex HMAC>"
        raise Unauthorized(message, SIGNATURE_HEADER)
    return timestamp, signatures


def verify(secret: bytes, raw_body: bytes, header: str | None, now: datetime) -> None:
    """Raise :class:`Unauthorized` unless ``header`` signs ``raw_body`` and is recent.

    The comparison is constant time; the timestamp is judged only once the signature
    is right (so its message says nothing to whoever does not hold the key).
    """
    timestamp, signatures = _parse(header)
    expected = _digest(secret, raw_body, timestamp).encode("ascii")
    matched = False
    for given in signatures:
        matched |= hmac.compare_digest(expected, given.encode("utf-8", "replace"))
    if not matched:
        raise Unauthorized("wrong signature", SIGNATURE_HEADER)
    age = now.timestamp() - timestamp
    minutes = int(TOLERANCE.total_seconds() // 60)
    if age > TOLERANCE.total_seconds():
        raise Unauthorized(f"the signature is more than {minutes} minutes old", SIGNATURE_HEADER)
    if -age > TOLERANCE.total_seconds():
        message = f"the signature's timestamp is more than {minutes} minutes ahead of our clock"
        raise Unauthorized(message, SIGNATURE_HEADER)
