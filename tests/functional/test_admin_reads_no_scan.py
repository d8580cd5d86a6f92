"""No admin route issues a DynamoDB Scan: every list is a Query on a key or an index.

Every DynamoDB operation the app's client makes while an admin route answers is recorded
(botocore's ``before-call`` event on the moto client), route by route, walking every
admin operation of ``docs/openapi.json`` with the requests of
tests/functional/route_table.py. A job run that ``POST /v1/admin/jobs/{name}`` starts is
the job's own function on AWS (here it runs in the request's process, at once): its
operations are the job's, not the route's, and a job may scan.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.job_launcher import InProcessJobLauncher
from tests.functional.conftest import Stack
from tests.functional.route_examples import build_world, documented_operations
from tests.functional.route_table import examples

JOB_BODY = InProcessJobLauncher._run.__code__


def _in_job() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code is JOB_BODY:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


class Recorder:
    """The DynamoDB operations made while :attr:`on`, outside job runs."""

    def __init__(self) -> None:
        self.on = False
        self.operations: list[str] = []

    def __call__(self, model: Any, **_: Any) -> None:
        if self.on and not _in_job():
            self.operations.append(model.name)


@pytest.fixture()
def recorder(stack: Stack) -> Iterator[Recorder]:
    record = Recorder()
    client = bootstrap.container().client("dynamodb")
    client.meta.events.register("before-call.dynamodb", record)
    yield record
    client.meta.events.unregister("before-call.dynamodb", record)


def test_the_recorder_sees_a_scan(stack: Stack, recorder: Recorder) -> None:
    recorder.on = True
    bootstrap.container().client("dynamodb").scan(TableName=stack.env["RAPPORT_KEYS_TABLE"])
    assert recorder.operations == ["Scan"]


def test_no_admin_route_scans(stack: Stack, recorder: Recorder) -> None:
    world = build_world(stack)
    issued: dict[str, list[str]] = {}
    for call in examples(world):
        recorder.operations = []
        recorder.on = call.path.startswith("/v1/admin/")
        answer = call.send(stack)
        recorder.on = False
        assert answer.status_code == call.expect, (call.url, answer.body)
        stack.pump()
        if call.path.startswith("/v1/admin/"):
            issued[f"{call.method} {call.url}"] = recorder.operations
    scanning = {route: ops for route, ops in issued.items() if "Scan" in ops}
    assert scanning == {}
    lists = {route: ops for route, ops in issued.items() if route.startswith("GET /v1/admin/cu")}
    unindexed = [
        r for r, ops in lists.items() if "?" in r and "email=" not in r and "Query" not in ops
    ]
    assert unindexed == [], lists
    walked = {(c.method, c.path) for c in examples(world) if c.path.startswith("/v1/admin/")}
    assert walked == {op for op in documented_operations() if op[1].startswith("/v1/admin/")}
