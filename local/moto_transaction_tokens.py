"""``TransactWriteItems`` idempotent on its ``ClientRequestToken`` in moto, as in DynamoDB.

DynamoDB makes a transaction idempotent for ten minutes on its client token: the same
request again (an SDK retry after a timeout sends the same token, and botocore fills one
in when the caller gives none) succeeds without being applied twice, and the same token
with other items is refused with ``IdempotentParameterMismatchException``. moto 5.2
ignores the token and applies the retry as a new transaction. Under load (the local
stack's moto serves one request at a time, and a 100-action import fold can wait longer
than the app's 5 s read timeout) the first attempt commits while the SDK retries it; the
retry's conditions then fail on the first attempt's own writes (a version moved, a
marker present), and the import took its committed folds for refusals: the 10,000
customer bench failed with ``StaleWrite``.

:func:`install` keeps, per token, a digest of the transaction's items once it succeeded
(only successes: DynamoDB runs a retry of a failed transaction again) and answers a
repeat as DynamoDB does. ``tests/unit/local/test_moto_transaction_tokens.py`` covers the
three cases.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from moto.core.responses import ActionResult
from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException
from moto.dynamodb.responses import DynamoHandler

_MARK = "_rapport_client_tokens"
IDEMPOTENCY_SECONDS = 600.0
"""How long DynamoDB remembers a transaction's client token."""
_done: dict[str, tuple[str, float]] = {}  # token -> (digest of the items, when it succeeded)


class IdempotentParameterMismatch(DynamodbException):
    """The token of an earlier transaction, with other items (DynamoDB's error)."""

    error_type = ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException"

    def __init__(self) -> None:
        message = "The request uses the same client token as a previous, but non-identical request."
        super().__init__(self.error_type, message=message)  # DynamoDB's words


def _digest(items: Any) -> str:
    text = json.dumps(items, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _forget_before(now: float) -> None:
    while _done:
        token, (_, at) = next(iter(_done.items()))
        if now - at < IDEMPOTENCY_SECONDS:
            return
        del _done[token]


def install() -> None:
    """Honour ``ClientRequestToken`` in this process's moto (idempotent)."""
    moto_path = DynamoHandler.transact_write_items
    if getattr(moto_path, _MARK, False):
        return

    def transact_write_items(self: Any) -> Any:
        token = self.body.get("ClientRequestToken")
        if not token:
            return moto_path(self)
        now = time.monotonic()
        _forget_before(now)
        digest = _digest(self.body.get("TransactItems"))
        if token in _done:
            if _done[token][0] != digest:
                raise IdempotentParameterMismatch()
            return ActionResult({"ConsumedCapacity": [], "ItemCollectionMetrics": {}})
        result = moto_path(self)
        _done[token] = (digest, now)
        return result

    setattr(transact_write_items, _MARK, True)
    DynamoHandler.transact_write_items = transact_write_items  # type: ignore[method-assign]
