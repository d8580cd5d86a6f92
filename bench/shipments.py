"""Shipment figures for ``make bench``: AWS API calls per scan end to end, fold speed.

``figures()`` returns ``(name, value, target)`` rows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

SCANS = 40
SECRET = b"dev-carrier-secret"


def _scan_statuses(n: int) -> list[str]:
    middle = ["in_transit"] * (n - 4)
    return ["info_received", *middle, "out_for_delivery", "attempt_failed", "delivered"][:n]


def calls_per_scan(n: int = SCANS) -> tuple[Counter[str], int]:
    """Post ``n`` scans, one webhook call each, pumping after each; count the app's calls."""
    import boto3
    from moto import mock_aws

    os.environ.update(
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",
        RAPPORT_LOCAL="1",
        RAPPORT_PUBLIC_BASE_URL="http://bench",
        POWERTOOLS_LOG_LEVEL="ERROR",
        POWERTOOLS_METRICS_DISABLED="true",
    )
    os.environ.pop("RAPPORT_FAULTS", None)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    from chalice.test import Client

    from chalicelib import bootstrap
    from chalicelib.adapters import codec
    from infra.provision import create_all

    calls: Counter[str] = Counter()
    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        env = create_all(session)
        os.environ.update(env)
        container = bootstrap.Container(session=session)
        bootstrap.reset(container)
        import app as app_module
        from local.pump import drain, pumps_for_app

        pumps = [p for p in pumps_for_app(app_module.app, session, env) if p.name != "on_order"]
        client = Client(app_module.app)
        store = {"Authorization": "Bearer dev-store-key", "Content-Type": "application/json"}
        signup = {"customer_id": "b-1", "email": "b1@example.com", "consents": {"surveys": True}}
        client.http.post("/v1/signups", headers=store, body=json.dumps(signup))
        order = {"order_id": "o-b", "record": "order", "customer_id": "b-1", "lines": []}
        session.client("dynamodb").put_item(
            TableName=env["RAPPORT_ORDERS_TABLE"], Item=codec.to_item(order)
        )
        body = {"tracking_number": "BENCH001", "carrier": "rapport", "order_id": "o-b"}
        client.http.post("/v1/shipments", headers=store, body=json.dumps(body))
        drain(pumps)

        def counter(event_name: str, **_: Any) -> None:
            _, service, operation = event_name.split(".", 2)
            calls[f"{service}.{operation}"] += 1

        for service in ("dynamodb", "sesv2", "sns"):
            container.client(service).meta.events.register("before-call.*.*", counter)
        start = datetime(2026, 11, 20, tzinfo=UTC)
        for i, status in enumerate(_scan_statuses(n)):
            event = {
                "event_id": f"e-{i}",
                "tracking_number": "BENCH001",
                "status": status,
                "occurred_at": (start + timedelta(hours=i)).isoformat(),
            }
            raw = json.dumps({"events": [event]}).encode()
            signature = "sha256=" + hmac.new(SECRET, raw, hashlib.sha256).hexdigest()
            headers = {"Content-Type": "application/json", "X-Rapport-Signature": signature}
            response = client.http.post("/v1/carrier-events", headers=headers, body=raw)
            assert response.status_code == 200, response.body
            drain(pumps)
        bootstrap.reset(None)
    return calls, n


def folds_per_second(scans: int = 200, seconds: float = 1.0) -> float:
    """Scans folded per second, folding a parcel of ``scans`` scans (shuffled) repeatedly."""
    import random

    from chalicelib.domain.tracking import Scan, fold

    start = datetime(2026, 11, 1, tzinfo=UTC)
    statuses = _scan_statuses(scans)
    parcel = [
        Scan(f"e-{i}", "BENCH", status, start + timedelta(minutes=17 * i), "Hub", "Scan")
        for i, status in enumerate(statuses)
    ]
    random.Random(1).shuffle(parcel)
    folded = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        fold(parcel)
        folded += scans
    return folded / (time.perf_counter() - began)


def figures() -> list[tuple[str, str, str]]:
    """Rows for the bench table."""
    calls, n = calls_per_scan()
    rows = [("AWS API calls per scan, end to end", f"{sum(calls.values()) / n:.2f}", "<= 6")]
    rows += [(f"  {op}", f"{count / n:.2f}", "") for op, count in sorted(calls.items())]
    rows.append(
        ("scans folded per s (parcel of 200 scans)", f"{folds_per_second():,.0f}", ">= 20,000")
    )
    return rows


if __name__ == "__main__":
    for row in figures():
        print(f"| {row[0]:<46} | {row[1]:>14} | {row[2]:<12} |")
