"""The suppression list: keyed hashes of erased addresses, never the addresses.

An entry is an item of the customers table keyed ``suppressed#<HMAC-SHA256 hex>`` of
the normalized address. The key is derived from the deployment's signing secret
(Secrets Manager) with its own label, so a hash is useless without the secret and
differs from every link signature. The stream handler of the customers table ignores
these items (they are not profiles).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.adapters.items import get_item
from chalicelib.domain.privacy import normalized_address

SUPPRESSION = "suppression"
SUPPRESSION_PREFIX = "suppressed#"
KEY_LABEL = b"rapport/suppression-list/v1"
"""The label that derives the suppression key from the signing secret."""


class AddressHasher:
    """HMAC-SHA256 of a normalized address under a key derived from a secret."""

    def __init__(self, secret: Callable[[], bytes]) -> None:
        self._secret = secret

    def digest(self, email: str) -> str:
        """The keyed hash of ``email`` (hex)."""
        key = hmac.new(self._secret(), KEY_LABEL, hashlib.sha256).digest()
        address = normalized_address(email).encode("utf-8")
        return hmac.new(key, address, hashlib.sha256).hexdigest()


class DynamoSuppressions:
    """Implements :class:`chalicelib.services.ports.SuppressionList`."""

    def __init__(self, client: Any, customers_table: str, hasher: AddressHasher) -> None:
        self._client = client
        self._table = customers_table
        self._hasher = hasher

    def key(self, email: str) -> str:
        """The item key of ``email``'s entry."""
        return SUPPRESSION_PREFIX + self._hasher.digest(email)

    def add(self, email: str, reason: str, at: str) -> None:
        """Suppress ``email`` (idempotent)."""
        item = {"customer_id": self.key(email), "record_type": SUPPRESSION, "reason": reason}
        item["at"] = at
        with throttling_as_adapter_error():
            self._client.put_item(TableName=self._table, Item=codec.to_item(item))

    def reason(self, email: str) -> str | None:
        """Why ``email`` is suppressed, or ``None`` when it is not."""
        if not email:
            return None
        item = get_item(self._client, self._table, {"customer_id": self.key(email)})
        return None if item is None else str(item.get("reason") or "suppressed")

    def removal(self, email: str) -> dict[str, Any]:
        """The transaction item that lifts ``email``'s suppression (a new signup)."""
        return {
            "Delete": {"TableName": self._table, "Key": {"customer_id": {"S": self.key(email)}}}
        }
