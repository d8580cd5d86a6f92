"""A fanned-out job's state and its segments' parts, in the settings table, kept a week.

- ``fanout#<run_id>#<attempt>``: the state (JSON), the done segments of each phase (a
  string set, so a segment counted twice counts once) and each phase's closed flag;
- ``fanout#<key>#<phase>#<segment>``: one segment's part, zlib-compressed JSON, with its
  digest and how many chunks it spans (a segment's summary can pass DynamoDB's 400 KB);
  further chunks under ``...#<digest>#<n>``. The header is written last and only once,
  so a repeated delivery cannot mix its chunks with the first one's.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error

PREFIX = "fanout#"
KEEP = timedelta(days=7)
CHUNK_BYTES = 350_000


class DynamoFanoutStore:
    """Implements :class:`chalicelib.services.fanout_ports.FanoutStore`."""

    def __init__(self, client: Any, table: str, now: Any) -> None:
        self._client = client
        self._table = table
        self._now = now  # () -> datetime: when an item expires is counted from it

    def _expires(self) -> dict[str, str]:
        now: datetime = self._now()
        return {"N": str(int((now + KEEP).timestamp()))}

    def _key(self, key: str) -> dict[str, Any]:
        return {"setting_id": {"S": PREFIX + key}}

    def _get(self, key: str) -> dict[str, Any] | None:
        with throttling_as_adapter_error():
            answer = self._client.get_item(
                TableName=self._table, Key=self._key(key), ConsistentRead=True
            )
        item: dict[str, Any] | None = answer.get("Item")
        return item

    def _put_new(self, key: str, attributes: dict[str, Any]) -> bool:
        item = {**self._key(key), **attributes, "expires_at": self._expires()}
        try:
            with throttling_as_adapter_error():
                self._client.put_item(
                    TableName=self._table,
                    Item=item,
                    ConditionExpression="attribute_not_exists(setting_id)",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def create(self, key: str, state: dict[str, Any]) -> None:
        """Store the state of a new fan-out (a repeat leaves the first)."""
        self._put_new(key, {"state": {"S": json.dumps(state)}})

    def state(self, key: str) -> dict[str, Any] | None:
        """The state, with ``<phase>_closed`` set for each completed phase."""
        item = self._get(key)
        if item is None:
            return None
        state: dict[str, Any] = json.loads(item["state"]["S"])
        for name in item:
            if name.endswith("_closed"):
                state[name] = True
        return state

    def update(self, key: str, values: dict[str, Any]) -> None:
        """Merge ``values`` into the stored state."""
        state = self.state(key) or {}
        state = {k: v for k, v in state.items() if not k.endswith("_closed")}
        with throttling_as_adapter_error():
            self._client.update_item(
                TableName=self._table,
                Key=self._key(key),
                UpdateExpression="SET #s = :s",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={":s": {"S": json.dumps({**state, **values})}},
            )

    def save_part(self, key: str, phase: str, segment: int, part: dict[str, Any]) -> None:
        """Store a segment's part in chunks, header last; the first header stored stays."""
        data = zlib.compress(json.dumps(part, sort_keys=True).encode())
        digest = hashlib.sha256(data).hexdigest()[:16]
        pieces = [data[i : i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)] or [b""]
        base = f"{key}#{phase}#{segment}"
        for number, piece in enumerate(pieces[1:], start=1):
            self._put_new(f"{base}#{digest}#{number}", {"data": {"B": piece}})
        header = {"data": {"B": pieces[0]}, "digest": {"S": digest}}
        self._put_new(base, {**header, "chunks": {"N": str(len(pieces))}})

    def parts(self, key: str, phase: str, total: int) -> Iterator[dict[str, Any]]:
        """Every segment's part of ``phase`` in segment order, read one at a time as the
        iterator advances; ``KeyError`` if one is missing."""
        for segment in range(total):
            yield self._part(f"{key}#{phase}#{segment}", f"segment {segment} in {phase}")

    def _part(self, base: str, where: str) -> dict[str, Any]:
        header = self._get(base)
        if header is None:
            raise KeyError(f"no part of {where}")
        digest, chunks = header["digest"]["S"], int(header["chunks"]["N"])
        data = bytearray(header["data"]["B"])
        for number in range(1, chunks):
            chunk = self._get(f"{base}#{digest}#{number}")
            if chunk is None:
                raise KeyError(f"chunk {number} of {where} is missing")
            data += bytes(chunk["data"]["B"])
        part: dict[str, Any] = json.loads(zlib.decompress(data))
        return part

    def finish_segment(self, key: str, phase: str, segment: int) -> int:
        """Add ``segment`` to the phase's done set; how many are done."""
        with throttling_as_adapter_error():
            answer = self._client.update_item(
                TableName=self._table,
                Key=self._key(key),
                UpdateExpression="ADD #d :s",
                ExpressionAttributeNames={"#d": f"done_{phase}"},
                ExpressionAttributeValues={":s": {"SS": [str(segment)]}},
                ReturnValues="ALL_NEW",
            )
        return len(answer["Attributes"][f"done_{phase}"]["SS"])

    def close_phase(self, key: str, phase: str) -> bool:
        """Set the phase's closed flag if it is not set (the claim of its close);
        ``False`` when it was set already."""
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._table,
                    Key=self._key(key),
                    UpdateExpression="SET #c = :t",
                    ConditionExpression="attribute_not_exists(#c)",
                    ExpressionAttributeNames={"#c": f"{phase}_closed"},
                    ExpressionAttributeValues={":t": {"BOOL": True}},
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def reopen_phase(self, key: str, phase: str) -> None:
        """Remove the phase's closed flag (a failed close gives its claim back)."""
        with throttling_as_adapter_error():
            self._client.update_item(
                TableName=self._table,
                Key=self._key(key),
                UpdateExpression="REMOVE #c",
                ExpressionAttributeNames={"#c": f"{phase}_closed"},
            )
