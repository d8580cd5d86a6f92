"""Imports through the local stack: the presigned upload starts the import, status done;
moto counts the requests the import causes."""

from __future__ import annotations

import json
import urllib.request

import pytest

from bench.import_stack import import_file
from bench.imports import customers_file, orders_file
from infra.resources import CUSTOMERS, ORDERS
from local.moto_requests import DYNAMODB_WRITES
from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for

pytestmark = pytest.mark.e2e
WRITE_OPERATIONS = {f"dynamodb:{name}" for name in DYNAMODB_WRITES}


def _jsonl(*rows: dict[str, object]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _upload(url: str, data: bytes) -> int:
    request = urllib.request.Request(url, data=data, method="PUT")
    request.add_header("Content-Type", "application/octet-stream")  # urllib's default is a form
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.status)


def _imported(s: RunningStack, import_id: str, kind: str, data: bytes) -> dict[str, object]:
    body = {"import_id": import_id, "kind": kind, "format": "jsonl"}
    created = s.request("POST", "/v1/admin/imports", body, key=ADMIN_KEY)
    assert created.status == 201, created.body
    assert _upload(created.body["upload_url"], data) == 200

    def finished() -> dict[str, object] | None:
        answer = s.request("GET", created.body["url"], key=ADMIN_KEY).body
        return answer if answer["status"] in ("done", "failed") else None

    done = wait_for(finished, timeout=60)
    assert done, s.output()[-3000:]
    return dict(done)


def test_an_upload_through_its_presigned_link_runs_the_import(local_stack: RunningStack) -> None:
    s = local_stack
    people = _jsonl(
        {"customer_id": "imp-1", "email": "imp1@example.com", "name": "Lan"},
        {"customer_id": "imp-2", "email": "broken"},
    )
    done = _imported(s, "e2e-people", "customers", people)
    assert (done["status"], done["imported"], done["rejected"]) == ("done", 1, 1)
    with urllib.request.urlopen(str(done["rejects_url"]), timeout=30) as response:
        assert response.read().decode("utf-8-sig").splitlines()[1].startswith("2,email,")
    line = {"sku": "T", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 9_900}
    order = {
        "order_id": "imp-o-1",
        "customer_id": "imp-1",
        "placed_at": "2026-05-01T10:00:00Z",
        "currency": "CNY",
        "lines": [line],
        "total": 9_900,
        "payment_method": "card",
        "status": "paid",
    }
    history = _imported(s, "e2e-orders", "orders", _jsonl(order))
    assert (history["status"], history["imported"]) == ("done", 1)
    profile = s.request("GET", "/v1/customers/imp-1").body
    assert profile["stats"]["orders"] == 1 and profile["points"] == 99
    assert s.mails() == []  # no welcome, no confirmation


def test_moto_counts_the_requests_an_import_causes(local_stack: RunningStack) -> None:
    """What the bench counts: the import's own writes and its stream handlers', in moto."""
    s = local_stack
    customers, orders = 12, 40
    people = import_file(
        s.api, s.aws, "e2e-count-c", "customers", customers_file(customers), ADMIN_KEY
    )
    assert (people.view["status"], people.view["imported"]) == ("done", customers)
    # A customer is written as a signup is: one transaction each, and nothing else writes
    # the customers table meanwhile (the customers stream counts them in the counts table).
    assert people.writes_by_table[CUSTOMERS.name] == customers
    assert people.requests["dynamodb:TransactWriteItems"] >= customers
    assert people.requests["dynamodbstreams:GetRecords"] > 0  # the pumps' reads count too
    history = import_file(
        s.api, s.aws, "e2e-count-o", "orders", orders_file(customers, orders), ADMIN_KEY
    )
    assert (history.view["status"], history.view["imported"]) == ("done", orders)
    assert history.writes_by_table[CUSTOMERS.name] == 1  # the folds: 50 customers a request
    assert history.requests["dynamodb:BatchWriteItem"] >= orders // 25 + 1
    assert history.writes_by_table[ORDERS.name] >= orders // 25 + 1
    writes = sum(n for op, n in history.requests.items() if op in WRITE_OPERATIONS)
    assert history.writes() == writes
