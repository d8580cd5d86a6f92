"""A valid request for every operation in ``docs/openapi.json``, on one small world.

The route walks (tests/functional/test_documented_answers.py, test_admin_reads_no_scan.py)
call these in order and fail for a documented operation without an example here: a new
route adds its rows to :func:`examples` (and its world to :func:`build_world` if it needs
one). Rows are ``Call``s; their ``url`` may use the world's ids and signed tokens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from chalicelib import bootstrap
from chalicelib.domain.reviews import coupon_code
from chalicelib.services.reviews import COUPON_PURPOSE, COUPON_SIGNATURE_EXPIRY
from tests.functional.conftest import ADMIN, STORE, Stack, run_job
from tests.functional.import_helpers import jsonl
from tests.functional.import_helpers import run as run_import
from tests.functional.shipment_fixtures import pump, register, scan_delivered, sign_up
from tests.functional.test_orders import order

SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
TRACKING = "RET0001"


@dataclass(frozen=True)
class Call:
    """One request: the documented operation it exercises, and the answer expected."""

    method: str
    path: str
    url: str
    key: str | None = None
    body: Any = None
    content_type: str = JSON
    expect: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def send(self, stack: Stack) -> Any:
        """The app's answer (through the test gateway)."""
        headers = {"Accept": JSON, **self.headers}
        if self.key:
            headers["Authorization"] = (ADMIN if self.key == "admin" else STORE)["Authorization"]
        raw = b""
        if self.body is not None:
            raw = self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()
            headers["Content-Type"] = self.content_type
        return stack.http.request(self.method, self.url, headers=headers, body=raw)


@dataclass
class World:
    """Ids and links the examples use."""

    tokens: dict[str, str] = field(default_factory=dict)
    ticket_id: str = ""
    run_id: str = ""
    key_id: str = ""
    coupon_code: str = ""
    import_id: str = ""


def documented_operations() -> set[tuple[str, str]]:
    """``(METHOD, path)`` of every operation in the document."""
    spec = json.loads(SPEC.read_text())
    return {(method.upper(), path) for path, item in spec["paths"].items() for method in item}


def build_world(stack: Stack) -> World:
    """c-1 with a paid order o-1, its delivered parcel, a ticket and a job run; c-gone and
    c-leaving to be erased; an issued key to revoke; a finished import with a rejected
    row; signed links and the coupon code a review of o-1 earns."""
    for cid in ("c-1", "c-gone", "c-leaving"):
        sign_up(stack, cid)
    stack.pump()
    placed = stack.http.post("/v1/orders", headers=STORE, body=json.dumps(order("o-1", "c-1")))
    assert placed.status_code == 201, placed.body
    paid = stack.http.patch("/v1/orders/o-1", headers=STORE, body='{"status": "paid"}')
    assert paid.status_code == 200, paid.body
    stack.pump()
    assert register(stack, TRACKING, "o-1").status_code == 201
    scan_delivered(stack, TRACKING, datetime.now(UTC) - timedelta(days=1), transit_hours=30)
    pump(stack)
    world = World()
    world.run_id = _run(stack)
    world.ticket_id = _ticket(stack, "m-0")
    issued = stack.http.post(
        "/v1/admin/keys", headers=ADMIN, body='{"name": "old", "role": "viewer"}'
    )
    world.key_id = issued.json_body["key_id"]
    world.import_id = _import(stack, "walk-people")
    signer, later = bootstrap.container().signer, datetime.now(UTC) + timedelta(days=1)
    for name, purpose, subject in (
        ("preferences", "preferences", "c-1"),
        ("unsubscribe", "unsubscribe:marketing", "c-1"),
        ("track", "track", TRACKING),
        ("survey", "survey", TRACKING),
        ("export", "export", "c-1"),
        ("erasure", "erasure", "c-leaving"),
    ):
        world.tokens[name] = signer.sign(purpose, subject, later)
    # the code the review of o-1 earns (its letter carries it): the keyed signature's
    world.coupon_code = coupon_code(signer.sign(COUPON_PURPOSE, "o-1", COUPON_SIGNATURE_EXPIRY))
    stack.pump()
    return world


def _run(stack: Stack) -> str:
    run_job(stack, "deferred-mail")
    runs = stack.http.get("/v1/admin/jobs/deferred-mail/runs", headers=ADMIN).json_body
    return str(runs["items"][0]["run_id"])


def _ticket(stack: Stack, message_id: str) -> str:
    body = {
        "message_id": message_id,
        "customer_id": "c-1",
        "subject": "Where is my tea?",
        "body": "When does it ship?",
        "channel": "web",
    }
    asked = stack.http.post("/v1/support-messages", headers=STORE, body=json.dumps(body))
    assert asked.status_code == 201, asked.body
    return str(asked.json_body["ticket_id"])


def _import(stack: Stack, import_id: str) -> str:
    """A customers import, done, one row imported and one rejected (its rejects file)."""
    rows = jsonl(
        {"customer_id": "c-imported", "email": "imported@example.com", "locale": "zh-CN"},
        {"customer_id": "c-unmailable", "email": "not-an-address"},
    )
    done = run_import(stack, import_id, "customers", "jsonl", rows)
    assert (done["status"], done["imported"], done["rejected"]) == ("done", 1, 1), done
    return import_id
