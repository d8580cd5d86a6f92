"""Admin keys the API issues: their format, keyed digest and stored record.

A key reads ``rpk_<key_id>_<secret>``: the id (16 hex digits) finds the record, the
secret (43 URL-safe characters, 256 bits) proves possession. Only an HMAC-SHA256 of the
whole key under a deployment secret is stored, and it is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain import roles, validation
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.times import iso

PREFIX = "rpk"
KEY_ID = re.compile(r"[0-9a-f]{16}")
_KEY = re.compile(rf"{PREFIX}_(?P<key_id>[0-9a-f]{{16}})_(?P<secret>[A-Za-z0-9_-]{{43}})")
NAME_MAX_LENGTH = 64
LAST_USED_PRECISION = timedelta(hours=1)
"""``last_used_at`` is written at most once per this period per key (not per request)."""
BOOTSTRAP = "bootstrap"
"""The principal of the deployment's own admin key (from the template or the dev key)."""


def compose(key_id: str, secret: str) -> str:
    """The key shown once to its creator."""
    return f"{PREFIX}_{key_id}_{secret}"


def key_id_of(token: str) -> str | None:
    """The key id of a token in the issued format, else ``None``."""
    match = _KEY.fullmatch(token)
    return match.group("key_id") if match else None


def digest(deployment_secret: bytes, key: str) -> str:
    """Hex HMAC-SHA256 of ``key`` under the deployment's key secret."""
    return hmac.new(deployment_secret, key.encode("utf-8"), hashlib.sha256).hexdigest()


def matches(deployment_secret: bytes, key: str, stored_digest: str) -> bool:
    """Whether ``key`` hashes to ``stored_digest`` (constant-time comparison)."""
    return hmac.compare_digest(digest(deployment_secret, key), stored_digest)


@dataclass(frozen=True)
class AdminKey:
    """A stored key: never the key itself, only its digest."""

    key_id: str
    name: str
    role: str
    digest: str
    created_at: datetime
    last_used_at: datetime | None = None

    def due_for_use_record(self, now: datetime) -> bool:
        """Whether a use at ``now`` should update ``last_used_at``."""
        return self.last_used_at is None or now - self.last_used_at >= LAST_USED_PRECISION

    def to_view(self) -> dict[str, Any]:
        """What the API shows of a key (never the key or its digest)."""
        return {
            "key_id": self.key_id,
            "name": self.name,
            "role": self.role,
            "created_at": iso(self.created_at),
            "last_used_at": iso(self.last_used_at) if self.last_used_at else None,
        }


def parse_new_key(body: Any) -> tuple[str, str]:
    """``(name, role)`` of a ``POST /v1/admin/keys`` body."""
    payload = validation.require_object(body)
    validation.reject_unknown(payload, ("name", "role"))
    if "name" not in payload:
        raise InvalidInput("name is required", "name")
    if "role" not in payload:
        raise InvalidInput("role is required: admin or viewer", "role")
    name = validation.text(payload["name"], "name", NAME_MAX_LENGTH)
    return name, validation.choice(payload["role"], roles.ROLES, "role")
