"""Count the AWS API calls the app makes per fact, end to end, by operation.

Runs the real app in-process on moto with the stream pump; counts every call the app's
own boto3 clients make (the pump's ``dynamodbstreams`` reads stand in for Lambda's
event source mapping and are not the app's calls).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

Run = Callable[[Any, Callable[[], int], Counter[str]], int]


def count_calls(run: Run) -> tuple[Counter[str], int]:
    """Run ``run(client, pump, calls)`` on a fresh moto world; returns calls and facts.

    ``run`` may clear ``calls`` once its setup is done, so only the facts it measures
    are counted.
    """
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
    from chalicelib import bootstrap
    from infra.provision import create_all
    from local import moto_transactions

    moto_transactions.install()
    calls: Counter[str] = Counter()
    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        env = create_all(session)
        os.environ.update(env)
        container = bootstrap.Container(session=session)
        bootstrap.reset(container)

        def counter(event_name: str, **_: Any) -> None:
            _, service, operation = event_name.split(".", 2)
            calls[f"{service}.{operation}"] += 1

        for service in ("dynamodb", "sesv2", "sns"):
            container.client(service).meta.events.register("before-call.*.*", counter)
        from chalice.test import Client

        import app as app_module
        from local.pump import drain, pumps_for_app

        pumps = pumps_for_app(app_module.app, session, env)
        client = Client(app_module.app)
        facts = run(client, lambda: drain(pumps), calls)
        bootstrap.reset(None)
    return calls, facts


def signups(n: int = 50) -> Run:
    """``n`` signups, each followed by delivery of its welcome letter."""

    def run(client: Any, pump: Callable[[], int], calls: Counter[str]) -> int:
        headers = {"Authorization": "Bearer dev-store-key", "Content-Type": "application/json"}
        for i in range(n):
            body = {"customer_id": f"b-{i}", "email": f"bench{i}@example.com", "name": "B"}
            response = client.http.post("/v1/signups", headers=headers, body=json.dumps(body))
            assert response.status_code == 201, response.body
            pump()
        return n

    return run


def orders(n: int = 30) -> Run:
    """``n`` orders by signed-up customers, each counted and confirmed by mail.

    The signups and their welcome letters are delivered first and not counted: the
    figure is what one order costs, from ``POST /v1/orders`` to its confirmation sent.
    """

    def run(client: Any, pump: Callable[[], int], calls: Counter[str]) -> int:
        headers = {"Authorization": "Bearer dev-store-key", "Content-Type": "application/json"}
        for i in range(n):
            body = {"customer_id": f"o-{i}", "email": f"order{i}@example.com", "name": "O"}
            assert (
                client.http.post("/v1/signups", headers=headers, body=json.dumps(body)).status_code
                == 201
            )
        pump()
        calls.clear()
        for i in range(n):
            order = {
                "order_id": f"b-{i}",
                "customer_id": f"o-{i}",
                "placed_at": "2026-11-20T10:00:00Z",
                "currency": "CNY",
                "lines": [
                    {
                        "sku": "S1",
                        "name": "Tea",
                        "category": "tea",
                        "quantity": 1,
                        "unit_price": 5000,
                    }
                ],
                "total": 5000,
                "payment_method": "card",
            }
            response = client.http.post("/v1/orders", headers=headers, body=json.dumps(order))
            assert response.status_code == 201, response.body
            pump()
        return n

    return run


def figures(label: str, target: str, run: Run) -> list[tuple[str, str, str]]:
    """``label``'s calls per fact (against ``target``), then each operation's share."""
    calls, n = count_calls(run)
    rows = [(label, f"{sum(calls.values()) / n:.2f}", target)]
    rows.extend(
        (f"  {operation}", f"{count / n:.2f}", "") for operation, count in sorted(calls.items())
    )
    return rows
