"""Bulk imports: the routes, customers and orders validated per row, idempotent, no mail."""

from __future__ import annotations

import json

from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.import_helpers import (
    create,
    deliver,
    jsonl,
    rejects,
    run,
    status,
)

CUSTOMERS = jsonl(
    {"customer_id": "c-1", "email": "c1@example.com", "name": "Li Wei", "locale": "zh-CN"},
    {"customer_id": "c-2", "email": "not-an-address"},
    {"customer_id": "c-3", "email": "c3@example.com", "referred_by": "c-1"},
    {"customer_id": "c-1", "email": "other@example.com"},
)


def test_the_route_answers_an_upload_link_and_refuses_bad_requests(stack: Stack) -> None:
    created = create(stack, "spring", "customers", "jsonl")
    assert created.status_code == 201
    body = created.json_body
    assert body["status"] == "uploading" and body["url"] == "/v1/admin/imports/spring"
    assert created.headers["Location"] == body["url"]
    assert "imports/spring/upload" in body["upload_url"]
    assert "X-Amz-Signature=" in body["upload_url"] and "X-Amz-Expires=3600" in body["upload_url"]
    again = create(stack, "spring", "customers", "jsonl")
    assert again.status_code == 200 and again.json_body["upload_url"]
    conflict = create(stack, "spring", "orders", "jsonl")
    assert conflict.status_code == 409 and conflict.json_body["error"]["field"] == "import_id"
    wrong = create(stack, "x", "orders", "shopify_customers_csv")
    assert wrong.status_code == 400 and wrong.json_body["error"]["field"] == "format"
    bad_kind = create(stack, "x", "shipments", "jsonl")
    assert bad_kind.json_body["error"]["field"] == "kind"
    extra = {"import_id": "x", "kind": "orders", "format": "jsonl", "notify": True}
    unknown = stack.http.post("/v1/admin/imports", headers=ADMIN, body=json.dumps(extra))
    assert unknown.status_code == 400 and unknown.json_body["error"]["field"] == "notify"
    no_key = {"Content-Type": "application/json"}
    body_text = json.dumps({"import_id": "y", "kind": "orders", "format": "jsonl"})
    assert stack.http.post("/v1/admin/imports", headers=no_key, body=body_text).status_code == 401
    assert stack.http.post("/v1/admin/imports", headers=STORE, body=body_text).status_code == 403
    missing = stack.http.get("/v1/admin/imports/nope", headers=ADMIN)
    assert missing.status_code == 404 and missing.json_body["error"]["field"] == "import_id"


def test_customers_are_imported_once_rejected_per_row_and_never_welcomed(stack: Stack) -> None:
    done = run(stack, "people", "customers", "jsonl", CUSTOMERS)
    assert done["status"] == "done"
    assert (done["rows"], done["imported"], done["skipped"], done["rejected"]) == (4, 2, 0, 2)
    assert "X-Amz-Signature=" in done["rejects_url"]
    header, bad_email, twice = rejects(stack, "people")
    assert header == ["line", "field", "reason"]
    assert bad_email[:2] == ["2", "email"]
    assert bad_email[2].startswith("email is not a deliverable address")
    assert twice == ["4", "customer_id", "customer_id appears twice in the file"]
    profile = stack.http.get("/v1/customers/c-1", headers=STORE).json_body
    assert profile["email"] == "c1@example.com" and profile["locale"] == "zh-CN"
    stack.pump()
    assert stack.mails() == []  # history is not news: no welcome letter
    again = deliver(stack, "people", CUSTOMERS)
    assert (again["imported"], again["skipped"], again["rejected"]) == (0, 2, 2)
    other = run(stack, "people-2", "customers", "jsonl", CUSTOMERS)
    assert (other["imported"], other["skipped"]) == (0, 2)


def test_a_signup_through_the_api_is_still_welcomed(stack: Stack) -> None:
    run(stack, "people", "customers", "jsonl", CUSTOMERS)
    body = {"customer_id": "c-9", "email": "c9@example.com"}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201
    stack.pump()
    stack.pump()
    assert [m["to"] for m in stack.mails()] == [["c9@example.com"]]


def test_a_malformed_file_fails_with_its_reason_and_writes_nothing(stack: Stack) -> None:
    broken = CUSTOMERS + b'{"customer_id": "c-7", \n'
    failed = run(stack, "broken", "customers", "jsonl", broken)
    assert failed["status"] == "failed" and failed["reason"] == "line 5 is not JSON"
    assert failed["imported"] == 0 and "rejects_url" not in failed
    assert stack.http.get("/v1/customers/c-1", headers=STORE).status_code == 404
    csv_failed = run(stack, "csv", "orders", "shopify_orders_csv", b"Order,Email\r\n1,a@b.c\r\n")
    assert csv_failed["status"] == "failed"
    assert csv_failed["reason"].startswith("not a Shopify export: no column Name")
    assert status(stack, "csv")["rows"] == 0
