"""Drive an import as the admin and S3 do: create it, put the file, deliver the event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chalicelib.domain.imports import REJECTS_NAME, object_key
from infra.resources import IMPORTS_BUCKET
from tests.functional.conftest import ADMIN, Stack

EVENT = Path(__file__).resolve().parents[1] / "events" / "s3_object_created.json"


def create(stack: Stack, import_id: str, kind: str, file_format: str) -> Any:
    body = {"import_id": import_id, "kind": kind, "format": file_format}
    return stack.http.post("/v1/admin/imports", headers=ADMIN, body=json.dumps(body))


def s3_event(bucket: str, key: str) -> dict[str, Any]:
    """The documented ObjectCreated event (tests/events) for ``key``."""
    event: dict[str, Any] = json.loads(EVENT.read_text())
    record = event["Records"][0]["s3"]
    record["bucket"]["name"] = bucket
    record["object"]["key"] = key
    return event


def deliver(stack: Stack, import_id: str, data: bytes) -> dict[str, Any]:
    """Put the file where the upload link points, run the bucket's event, drain the streams."""
    bucket = stack.env[IMPORTS_BUCKET.env]
    key = object_key(import_id)
    stack.session.client("s3").put_object(Bucket=bucket, Key=key, Body=data)
    import app as app_module

    app_module.on_import_upload(s3_event(bucket, key), None)
    stack.pump()
    return status(stack, import_id)


def status(stack: Stack, import_id: str) -> dict[str, Any]:
    answer = stack.http.get(f"/v1/admin/imports/{import_id}", headers=ADMIN)
    assert answer.status_code == 200, answer.body
    body: dict[str, Any] = answer.json_body
    return body


def run(stack: Stack, import_id: str, kind: str, file_format: str, data: bytes) -> dict[str, Any]:
    created = create(stack, import_id, kind, file_format)
    assert created.status_code in (200, 201), created.body
    return deliver(stack, import_id, data)


def rejects(stack: Stack, import_id: str) -> list[list[str]]:
    """The rejects file's rows (header first), read from the bucket."""
    import csv
    import io

    bucket = stack.env[IMPORTS_BUCKET.env]
    key = object_key(import_id, REJECTS_NAME)
    body = stack.session.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def jsonl(*rows: dict[str, Any]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def order_row(
    oid: str, cid: str, placed_at: str, total: int = 10_000, **extra: Any
) -> dict[str, Any]:
    line = {
        "sku": f"SKU-{oid}",
        "name": "Tea",
        "category": "tea",
        "quantity": 1,
        "unit_price": total,
    }
    return {
        "order_id": oid,
        "customer_id": cid,
        "placed_at": placed_at,
        "currency": "CNY",
        "lines": [line],
        "total": total,
        "payment_method": "card",
        **extra,
    }
