"""The engagement job through the local stack: a backfilled birthday, its card in the viewer."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for

pytestmark = pytest.mark.e2e


def make_very_loyal(stack: RunningStack, customer_id: str) -> None:
    """What the nightly job would have concluded from years of orders."""
    client = boto3.client(
        "dynamodb",
        endpoint_url=stack.aws,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.update_item(
        TableName="rapport-customers",
        Key={"customer_id": {"S": customer_id}},
        UpdateExpression="SET loyalty = :l",
        ExpressionAttributeValues={":l": {"S": "very_loyal"}},
    )


def greeting(stack: RunningStack) -> list[dict[str, Any]]:
    return [
        mail
        for mail in stack.mails()
        if mail["headers"].get("X-Rapport-Message", "").endswith("greeting")
    ]


def test_a_birthday_card_for_a_day_in_the_past_reaches_the_mail_viewer(
    local_stack: RunningStack,
) -> None:
    s = local_stack
    quiet_off = {"quiet_hours_start": 0, "quiet_hours_end": 0}
    assert s.request("PUT", "/v1/admin/settings/store", quiet_off, key=ADMIN_KEY).status == 200
    signup = {
        "customer_id": "e-birthday",
        "email": "e.birthday@example.com",
        "name": "Lan",
        "birthday": "1991-03-15",
        "time_zone": "Asia/Shanghai",
        "consents": {"greetings": True},
    }
    assert s.request("POST", "/v1/signups", signup).status == 201
    make_very_loyal(s, "e-birthday")
    body = {"as_of": "2026-03-15T10:00:00+08:00"}
    queued = s.request("POST", "/v1/admin/jobs/engagement", body, key=ADMIN_KEY)
    assert queued.status == 202 and queued.body["as_of"] == "2026-03-15T10:00:00+08:00"

    run = s.finished_run(queued.body["url"])
    assert run["status"] == "succeeded", run
    assert run["result"]["queued"] == 1
    cards = wait_for(lambda: greeting(s), timeout=60)
    assert len(cards) == 1, [m["subject"] for m in s.mails()]
    card = cards[0]
    assert "e.birthday@example.com" in card["to"][0]
    assert card["subject"] == "Happy birthday, Lan!"
    assert "Happy birthday from all of us" in card["text"]
    assert "Manage your preferences" in card["html"]
    assert card["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    again = s.request("POST", "/v1/admin/jobs/engagement", body, key=ADMIN_KEY)
    rerun = s.finished_run(again.body["url"])
    assert rerun["result"]["queued"] == 0 and rerun["result"]["already"] == 1
    assert len(greeting(s)) == 1
