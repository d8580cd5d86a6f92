"""Admin API: authenticated, keyed lookups, paginated logs, settings, jobs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib import bootstrap
from chalicelib.domain.times import iso
from tests.functional.conftest import ADMIN, STORE, Stack, run_job


def signup(stack: Stack, n: int, **extra: object) -> None:
    body = {"customer_id": f"c-{n}", "email": f"p{n}@example.com", "name": f"P{n}", **extra}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201


@pytest.mark.parametrize(
    "path",
    [
        "/v1/admin/customers?email=a@b.co",
        "/v1/admin/customers/c-1",
        "/v1/admin/messages",
        "/v1/admin/settings/store",
        "/v1/admin/jobs/deferred-mail/runs/r-1",
    ],
)
def test_every_admin_route_needs_the_admin_key(stack: Stack, path: str) -> None:
    assert stack.http.get(path).status_code == 401
    assert stack.http.get(path, headers=STORE).status_code == 403


def test_customer_360_and_lookup_by_email(stack: Stack) -> None:
    signup(stack, 1)
    stack.http.patch(
        "/v1/customers/c-1", headers=STORE, body=json.dumps({"consents": {"surveys": True}})
    )
    stack.pump()
    view = stack.http.get("/v1/admin/customers/c-1", headers=ADMIN).json_body
    assert view["profile"]["consents"]["surveys"] is True
    assert [entry["entry_key"] for entry in view["timeline"]] == [
        "profile#v00000002",
        "profile#v00000001",
    ]
    assert view["timeline"][0]["changes"]["changes"][0]["field"] == "consents"
    assert [(m["message_key"], m["status"]) for m in view["messages"]] == [("welcome", "sent")]
    assert "recipient" not in view["messages"][0]
    found = stack.http.get("/v1/admin/customers?email=P1@Example.com", headers=ADMIN)
    assert found.json_body["customer_id"] == "c-1"
    missing = stack.http.get("/v1/admin/customers?email=nobody@example.com", headers=ADMIN)
    assert missing.status_code == 404
    assert stack.http.get("/v1/admin/customers?email=bad", headers=ADMIN).status_code == 400


def test_message_log_pages_through_an_index(stack: Stack) -> None:
    for n in range(5):
        signup(stack, n)
    stack.pump()
    seen: list[str] = []
    cursor = ""
    for _ in range(5):
        query = f"/v1/admin/messages?status=sent&limit=2{'&cursor=' + cursor if cursor else ''}"
        page = stack.http.get(query, headers=ADMIN).json_body
        seen += [item["customer_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == [f"c-{n}" for n in range(5)]
    bad = stack.http.get("/v1/admin/messages?cursor=%%%", headers=ADMIN)
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "cursor"
    assert stack.http.get("/v1/admin/messages?status=lost", headers=ADMIN).status_code == 400


def test_store_settings_change_what_the_welcome_letter_says(stack: Stack) -> None:
    update = {
        "store_name": "Tea House",
        "support_email": "help@tea.example",
        "help_links": [
            {"label_en": "Brewing guide", "label_zh": "冲泡指南", "url": "https://tea.example/brew"}
        ],
    }
    saved = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=json.dumps(update))
    assert saved.status_code == 200 and saved.json_body["store_name"] == "Tea House"
    assert saved.json_body["signer_en"] == "The team"  # untouched fields keep their value
    bad = stack.http.put(
        "/v1/admin/settings/store",
        headers=ADMIN,
        body=json.dumps({"help_links": [{"label_en": "x", "label_zh": "x", "url": "http://x"}]}),
    )
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "help_links[0].url"
    signup(stack, 9)
    stack.pump()
    mail = stack.mails()[0]
    assert "Tea House" in mail["subject"]
    assert "help@tea.example" in mail["text"] and "https://tea.example/brew" in mail["text"]
    assert mail["headers"]["Reply-To"] == "help@tea.example"


def test_deferred_mail_job_queues_mail_whose_quiet_hours_ended(stack: Stack) -> None:
    deps = bootstrap.container()
    signup(stack, 1)
    stack.pump()
    table = stack.env["RAPPORT_MESSAGES_TABLE"]
    past = iso(datetime.now(UTC) - timedelta(minutes=1))
    future = iso(datetime.now(UTC) + timedelta(hours=3))
    item = stack.dynamodb().get_item(
        TableName=table, Key={"customer_id": {"S": "c-1"}, "message_key": {"S": "welcome"}}
    )["Item"]
    for key, not_before in (("note#due", past), ("note#later", future)):
        stack.dynamodb().put_item(
            TableName=table,
            Item={
                **item,
                "message_key": {"S": key},
                "status": {"S": "deferred"},
                "not_before": {"S": not_before},
            },
        )
    assert run_job(stack, "deferred-mail") == {"job": "deferred-mail", "requeued": 1}
    stack.pump()
    statuses = {m["message_key"]: m["status"] for m in deps.outbox.for_customer("c-1", 10, None)[0]}
    assert statuses == {"welcome": "sent", "note#due": "sent", "note#later": "deferred"}
    assert len(stack.mails()) == 2
    assert stack.http.post("/v1/admin/jobs/nope", headers=ADMIN, body="").status_code == 404
    bad = stack.http.post("/v1/admin/jobs/deferred-mail", headers=ADMIN, body='{"as_of": "x"}')
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "as_of"


def test_scheduled_handler_runs_the_same_job(stack: Stack) -> None:
    fixture = Path(__file__).resolve().parent.parent / "events" / "scheduled_event.json"
    response = stack.client.lambda_.invoke("deferred_mail", json.loads(fixture.read_text()))
    assert response.payload == {"job": "deferred-mail", "requeued": 0}


def test_a_claim_left_by_a_dead_sender_is_sent_after_its_lease(stack: Stack) -> None:
    signup(stack, 1)
    stack.pump()
    table = stack.env["RAPPORT_MESSAGES_TABLE"]
    item = stack.dynamodb().get_item(
        TableName=table, Key={"customer_id": {"S": "c-1"}, "message_key": {"S": "welcome"}}
    )["Item"]
    expired = iso(datetime.now(UTC) - timedelta(seconds=5))
    live = iso(datetime.now(UTC) + timedelta(seconds=50))
    for key, lease in (("note#dead", expired), ("note#busy", live)):
        stack.dynamodb().put_item(
            TableName=table,
            Item={
                **item,
                "message_key": {"S": key},
                "status": {"S": "sending"},
                "lease_until": {"S": lease},
            },
        )
    assert run_job(stack, "deferred-mail") == {"job": "deferred-mail", "requeued": 1}
    stack.pump()
    deps = bootstrap.container()
    statuses = {m["message_key"]: m["status"] for m in deps.outbox.for_customer("c-1", 10, None)[0]}
    assert statuses == {"welcome": "sent", "note#dead": "sent", "note#busy": "sending"}


def test_the_clv_model_is_served_from_its_stored_document(stack: Stack) -> None:
    """The API reads the fitted model without the models' numerical code (no numpy)."""
    from chalicelib.domain.clv_params import ClvParameters

    assert stack.http.get("/v1/admin/models/clv", headers=ADMIN).status_code == 404
    fitted = ClvParameters(
        0.243,
        4.414,
        0.793,
        2.426,
        6.25,
        3.74,
        15.44,
        "days",
        date(2026, 11, 1),
        2357,
        946,
        -9582.4,
        -4167.8,
    )
    bootstrap.container().settings.save_document("clv-model", fitted.to_dict())
    model = stack.http.get("/v1/admin/models/clv", headers=ADMIN).json_body
    assert (model["r"], model["alpha"], model["gamma"]) == (0.243, 4.414, 15.44)
    assert (model["time_unit"], model["fitted_at"], model["customers"]) == (
        "days",
        "2026-11-01",
        2357,
    )
