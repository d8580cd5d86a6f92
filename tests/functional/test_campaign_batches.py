"""A campaign page's batches on moto: profiles 100 a request, messages 50 a transaction,
a chunk holding a message queued before or an erased customer, a redelivered page."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.outbox_batch import DynamoOutboxBatch
from chalicelib.adapters.profile_batch import DynamoProfileBatch
from chalicelib.domain import campaigns as c
from chalicelib.domain.campaign_audience import campaign_message
from chalicelib.domain.privacy import ERASED
from tests.functional.campaign_fixtures import (
    buy,
    campaign,
    message_log,
    no_quiet_hours,
    post,
    signup,
)
from tests.functional.conftest import ADMIN, Stack

KEY = "product-update#kettle-v2"


def _calls(client: Any) -> Counter[str]:
    """The DynamoDB operations ``client`` sends from now on."""
    calls: Counter[str] = Counter()
    client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: calls.update([model.name])
    )
    return calls


def _erase(stack: Stack, cid: str) -> None:
    stack.dynamodb().update_item(
        TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"],
        Key={"customer_id": {"S": cid}},
        UpdateExpression="SET record_type = :erased",
        ExpressionAttributeValues={":erased": {"S": ERASED}},
    )


def _customers(stack: Stack, count: int) -> list[str]:
    ids = [f"c-{n:03d}" for n in range(count)]
    for cid in ids:
        signup(stack, cid, locale="zh-CN" if cid.endswith("1") else "en")
    return ids


def test_profiles_are_read_100_a_request_and_only_profiles_come_back(stack: Stack) -> None:
    ids = _customers(stack, 105)
    _erase(stack, "c-007")
    client = stack.dynamodb()
    calls = _calls(client)
    wanted = [*ids, "nobody", "email#c-001@example.com", "c-003"]
    profiles = DynamoProfileBatch(client, stack.env["RAPPORT_CUSTOMERS_TABLE"]).get_many(wanted)
    assert sorted(profiles) == sorted(set(ids) - {"c-007"})
    assert profiles["c-001"].locale == "zh-CN" and profiles["c-002"].email == "c-002@example.com"
    assert calls == {"BatchGetItem": 2}  # 107 distinct keys


def test_a_chunk_with_a_queued_message_and_an_erased_customer_queues_the_rest_once(
    stack: Stack,
) -> None:
    ids = _customers(stack, 55)
    client = stack.dynamodb()
    profiles = DynamoProfileBatch(client, stack.env["RAPPORT_CUSTOMERS_TABLE"]).get_many(ids)
    request, _ = c.parse_request(campaign(), datetime.now(UTC))
    now = datetime.now(UTC).isoformat()
    messages = [campaign_message(profiles[cid], request, "Clay kettle", now) for cid in ids]
    outbox = DynamoOutboxBatch(
        client, stack.env["RAPPORT_MESSAGES_TABLE"], stack.env["RAPPORT_CUSTOMERS_TABLE"]
    )
    assert outbox.enqueue_all(messages[1:2]) == 1  # c-001 queued before (a lost delivery)
    table = stack.env["RAPPORT_MESSAGES_TABLE"]
    client.update_item(
        TableName=table,
        Key={"customer_id": {"S": "c-001"}, "message_key": {"S": KEY}},
        UpdateExpression="SET #s = :sent",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":sent": {"S": "sent"}},
    )
    _erase(stack, "c-002")
    calls = _calls(client)
    # 53 queued now, c-001 already there, c-002 erased; a repeated message counts once
    assert outbox.enqueue_all([*messages, messages[3]]) == 54
    assert calls == {"TransactWriteItems": 3}  # 50 (refused, then without the two) and 5
    log = message_log(stack, ids, "kettle-v2")
    assert sorted(log) == sorted(set(ids) - {"c-002"})
    statuses = Counter(item["status"]["S"] for item in log.values())
    assert statuses == {"queued": 53, "sent": 1}  # the earlier message is left as it was
    assert outbox.enqueue_all(messages) == 54  # the whole page again: nothing new, all there
    assert len(message_log(stack, ids, "kettle-v2")) == 54


def test_a_page_redelivered_after_its_advance_was_lost_queues_nothing_twice(
    stack: Stack,
) -> None:
    no_quiet_hours(stack)
    for cid in ("c-a", "c-b", "c-c"):
        signup(stack, cid)
        buy(stack, f"{cid}-kettle", cid)
    stack.pump()
    assert post(stack, campaign()).status_code == 201  # page 0 ran here, at once
    stack.dynamodb().update_item(  # as if the page's own record of itself had been lost
        TableName=stack.env["RAPPORT_CAMPAIGNS_TABLE"],
        Key={"campaign_id": {"S": "kettle-v2"}},
        UpdateExpression=(
            "SET #p = :zero, #q = :zero, due_key = :due REMOVE fanned_out, last_customer"
        ),
        ExpressionAttributeNames={"#p": "page", "#q": "queued"},
        ExpressionAttributeValues={":zero": {"N": "0"}, ":due": {"S": "due"}},
    )
    import app as app_module

    event = {"source": "rapport", "detail": {"campaign_id": "kettle-v2", "page": 0}}
    assert app_module.campaign_pages(event, None)["outcome"] == "fanned_out"
    stack.pump()
    view = stack.http.get("/v1/admin/campaigns/kettle-v2", headers=ADMIN).json_body
    assert view["fan_out"] == {"pages": 1, "queued": 3, "finished": True}
    assert view["recipients"] == 3 and view["sent"] == 3 and view["status"] == "done"
    mails = [m for m in stack.mails() if m["headers"].get("X-Rapport-Message") == "product_update"]
    assert sorted(address for mail in mails for address in mail["to"]) == [
        "C-A <c-a@example.com>",
        "C-B <c-b@example.com>",
        "C-C <c-c@example.com>",
    ]


def test_a_page_retried_after_it_queued_messages_counts_every_message_it_stands_for(
    stack: Stack,
) -> None:
    """A first attempt that queued two of the page's three messages and then failed before
    recording the page: the retry counts all three, so `done` waits for all three."""
    no_quiet_hours(stack)
    for cid in ("c-a", "c-b", "c-c"):
        signup(stack, cid)
        buy(stack, f"{cid}-kettle", cid)
    stack.pump()
    client = stack.dynamodb()
    profiles = DynamoProfileBatch(client, stack.env["RAPPORT_CUSTOMERS_TABLE"]).get_many(
        ["c-a", "c-b"]
    )
    request, _ = c.parse_request(campaign(), datetime.now(UTC))
    now = datetime.now(UTC).isoformat()
    first_attempt = [
        campaign_message(profiles[cid], request, "Clay kettle", now) for cid in profiles
    ]
    outbox = DynamoOutboxBatch(
        client, stack.env["RAPPORT_MESSAGES_TABLE"], stack.env["RAPPORT_CUSTOMERS_TABLE"]
    )
    assert outbox.enqueue_all(first_attempt) == 2
    assert post(stack, campaign()).status_code == 201  # the page runs (again) here
    view = stack.http.get("/v1/admin/campaigns/kettle-v2", headers=ADMIN).json_body
    assert view["fan_out"] == {"pages": 1, "queued": 3, "finished": True}
    assert view["status"] != "done"  # the stream has not counted the three outcomes yet
    stack.pump()
    view = stack.http.get("/v1/admin/campaigns/kettle-v2", headers=ADMIN).json_body
    assert view["recipients"] == 3 and view["sent"] == 3 and view["status"] == "done"
    assert len(stack.mails_of("product_update")) == 3
