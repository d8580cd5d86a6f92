"""Profiles read in batches: keys DynamoDB left unprocessed are asked for again, a while."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters import codec
from chalicelib.adapters.profile_batch import ATTEMPTS, DynamoProfileBatch
from chalicelib.adapters.profile_items import profile_to_item
from chalicelib.domain.profile import Profile
from chalicelib.services.exceptions import Throttled

TABLE = "customers"


class PartialClient:
    """Answers each BatchGetItem with at most ``per_call`` of the keys asked for."""

    def __init__(self, ids: list[str], per_call: int) -> None:
        stamp = "2026-11-01T00:00:00Z"
        self.items = {
            cid: codec.to_item(profile_to_item(Profile(cid, f"{cid}@example.com", stamp, stamp)))
            for cid in ids
        }
        self.per_call = per_call
        self.asked: list[int] = []

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
        keys = RequestItems[TABLE]["Keys"]
        assert len(keys) <= 100 and RequestItems[TABLE]["ConsistentRead"] is True
        self.asked.append(len(keys))
        answered, left = keys[: self.per_call], keys[self.per_call :]
        found = [
            self.items[k["customer_id"]["S"]]
            for k in answered
            if k["customer_id"]["S"] in self.items
        ]
        unprocessed = {TABLE: {"Keys": left, "ConsistentRead": True}} if left else {}
        return {"Responses": {TABLE: found}, "UnprocessedKeys": unprocessed}


def test_unprocessed_keys_are_asked_for_again_until_every_profile_is_read() -> None:
    ids = [f"c-{n}" for n in range(130)]
    client = PartialClient(ids[:-1], per_call=40)  # the last id has no profile
    waits: list[float] = []
    profiles = DynamoProfileBatch(client, TABLE, sleep=waits.append).get_many([*ids, "c-5"])
    assert sorted(profiles) == sorted(ids[:-1])
    assert client.asked == [100, 60, 20, 30]  # 100 keys, then what was left; then the 30
    assert waits == [0.05, 0.1]  # a growing wait before each retry


def test_keys_still_unprocessed_after_every_attempt_fail_as_throttled() -> None:
    client = PartialClient(["c-1", "c-2"], per_call=0)
    with pytest.raises(Throttled):
        DynamoProfileBatch(client, TABLE, sleep=lambda _: None).get_many(["c-1", "c-2"])
    assert len(client.asked) == ATTEMPTS
