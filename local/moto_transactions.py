"""DynamoDB transactions for moto that roll back the items they touched, not whole tables.

moto 5.2's ``TransactWriteItems`` deep-copies every table the transaction names before it
starts, so it can put the copy back if one of the actions is cancelled. That makes each
transaction cost O(size of the tables): a store with a few thousand orders spends
seconds per order in the emulator, and the 500-orders fault run never finishes. Putting
the copy back also swaps the table object and its stream shard, which strands stream
iterators.

:func:`install` replaces the method with one that keeps moto's evaluation order and
error reporting but remembers only the items the transaction touches (at most 100) and
the length of each touched table's stream shard. On cancellation it puts those items
back and drops the stream records the cancelled actions wrote, as DynamoDB does (a
cancelled transaction leaves no trace in the stream). Table objects are never replaced.

The loop below follows ``moto.dynamodb.models.DynamoDBBackend.transact_write_items``
(Apache-2.0) line for line except for the rollback.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from moto.core.botocore_stubber import BotocoreStubber
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import StreamShard, Table

_MARK = "_rapport_item_rollback"


class ItemUndo:
    """What a transaction needs to undo itself: the items it touched, as they were."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, DynamoType, DynamoType | None], tuple[Table, Item | None]] = {}
        self._shards: dict[str, tuple[StreamShard, int]] = {}

    def remember(self, table: Table, key: tuple[DynamoType, DynamoType | None]) -> None:
        """Keep the item at ``key`` (and the table's stream position) before a write."""
        shard = table.stream_shard
        if shard is not None and table.name not in self._shards:
            self._shards[table.name] = (shard, len(shard.items))
        slot = (table.name, key[0], key[1])
        if slot not in self._items:
            # Updates change items in place, so keep a copy of the item itself.
            self._items[slot] = (table, copy.deepcopy(table.get_item(key[0], key[1])))

    def rollback(self) -> None:
        """Put every remembered item back and forget the stream records written since."""
        for (_, hash_key, range_key), (table, item) in self._items.items():
            if range_key is not None:
                if item is None:
                    table.items[hash_key].pop(range_key, None)
                else:
                    table.items[hash_key][range_key] = item
            elif item is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item  # type: ignore[assignment]
        for shard, length in self._shards.values():
            del shard.items[length:]


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto's ``TransactWriteItems`` with an item-level rollback (see the module doc)."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    undo = ItemUndo()
    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            undo.rollback()  # moto leaves the earlier actions applied here
            raise TransactWriteSingleOpException
        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            names = op.get("ExpressionAttributeNames")
            values = op.get("ExpressionAttributeValues")
            return_old = op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"

            table = self.get_table(table_name)
            if op_type == "Put":
                attrs = op["Item"]
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            check_unicity(table_name, key)

            current = self.get_item(table_name, key)
            if condition_expression is not None:
                condition = get_filter_expression(condition_expression, names, values)
                if not condition.expr(current):
                    if return_old and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            if op_type != "ConditionCheck":
                undo.remember(table, self.get_keys_value(table, key))
            conditions = {
                "condition_expression": condition_expression,
                "expression_attribute_names": names,
                "expression_attribute_values": values,
            }
            if op_type == "Put":
                self.put_item(table_name, op["Item"], **conditions)
            elif op_type == "Delete":
                self.delete_item(table_name, key, **conditions)
            elif op_type == "Update":
                self.update_item(
                    table_name, key, update_expression=op["UpdateExpression"], **conditions
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            undo.rollback()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))  # type: ignore[arg-type]
        except Exception as e:  # noqa: BLE001 - moto reports any failure as a cancellation reason
            errors.append((type(e).__name__, str(e), original_item))  # type: ignore[arg-type]

    if any(code is not None for code, _, _ in errors):
        undo.rollback()
        raise TransactionCanceledException(errors)


def _serialize_in_process_requests() -> None:
    """Let one request at a time into in-process moto (``mock_aws``), as the local stack's
    server does (:mod:`local.moto_server`): its conditional writes are checked and made
    without a lock, and the stream pump hands an orders shard's lanes over at once."""
    process_request = BotocoreStubber.process_request
    if getattr(process_request, _MARK, False):
        return
    lock = threading.RLock()

    def one_at_a_time(self: BotocoreStubber, request: Any) -> Any:
        with lock:
            return process_request(self, request)

    setattr(one_at_a_time, _MARK, True)
    BotocoreStubber.process_request = one_at_a_time  # type: ignore[method-assign]


def install() -> None:
    """Use the item-level rollback in this process's moto, one request at a time (idempotent)."""
    _serialize_in_process_requests()
    if getattr(DynamoDBBackend.transact_write_items, _MARK, False):
        return
    setattr(transact_write_items, _MARK, True)
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
