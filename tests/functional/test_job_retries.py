"""A requested job survives AWS timing out: its page is read again, or its run is retried.

The timeouts are botocore's own ``ReadTimeoutError``, raised before a Scan request of
one scan segment leaves the client (as the SDK raises it once its own retries gave up).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError

from chalicelib import bootstrap
from chalicelib.services import jobs
from chalicelib.services.retry import RetryPolicy
from tests.functional.conftest import ADMIN, Stack
from tests.functional.test_customer_value_job import customers, put_profiles, stored


@pytest.fixture(autouse=True)
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off pauses the jobs take, recorded instead of slept."""
    taken: list[float] = []
    monkeypatch.setattr(jobs, "RetryPolicy", partial(RetryPolicy, sleep=taken.append))
    return taken


def time_out_scans(segment: int, times: int) -> list[int]:
    """The next ``times`` Scan calls of scan segment ``segment`` time out; returns what is left."""
    left = [times]

    def time_out(params: dict[str, Any], **_: Any) -> None:
        if params.get("Segment") == segment and left[0] > 0:
            left[0] -= 1
            raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")

    client = bootstrap.container().client("dynamodb")
    client.meta.events.register("before-parameter-build.dynamodb.Scan", time_out)
    return left


def allow_retries(stack: Stack, retries: int) -> None:
    body = json.dumps({"job_retries": retries})
    answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=body)
    assert answer.status_code == 200, answer.body


def request(stack: Stack) -> dict[str, Any]:
    queued = stack.http.post("/v1/admin/jobs/customer-value", headers=ADMIN, body="")
    assert queued.status_code == 202, queued.body
    shown = stack.http.get(queued.json_body["url"], headers=ADMIN)
    assert shown.status_code == 200, shown.body
    run: dict[str, Any] = shown.json_body
    return run


def test_a_page_that_timed_out_is_read_again_within_the_same_attempt(
    stack: Stack, pauses: list[float]
) -> None:
    put_profiles(stack, customers(30))
    left = time_out_scans(segment=0, times=1)
    run = request(stack)
    assert left == [0] and len(pauses) == 1  # the timeout happened, and was waited out
    assert (run["status"], run["attempt"]) == ("succeeded", 1)
    assert run["result"]["customers"] == 30 and sum(run["result"]["segments"].values()) == 30
    assert all(item.get("segment_key") for item in stored(stack).values())


def test_past_the_bound_the_attempt_fails_and_the_retried_invocation_completes_it(
    stack: Stack,
) -> None:
    put_profiles(stack, customers(30))
    allow_retries(stack, 0)
    time_out_scans(segment=0, times=1)
    run = request(stack)
    assert (run["status"], run["attempt"], run["error"]) == ("succeeded", 2, None)
    assert run["result"]["customers"] == 30 and sum(run["result"]["segments"].values()) == 30
    assert all(item.get("segment_key") for item in stored(stack).values())


def test_a_timeout_that_persists_fails_the_run_after_its_last_attempt(
    stack: Stack, pauses: list[float]
) -> None:
    put_profiles(stack, customers(30))
    allow_retries(stack, 1)
    time_out_scans(segment=2, times=99)
    run = request(stack)
    assert (run["status"], run["error"], run["attempt"]) == ("failed", "Unavailable", 3)
    assert run["result"] == {}
    assert len(pauses) == 3  # one retry per attempt (job_retries 1), then the attempt failed


def test_a_profile_write_that_timed_out_is_made_again_and_counted_once(
    stack: Stack, pauses: list[float]
) -> None:
    put_profiles(stack, customers(30))
    left = [2]

    def time_out(params: dict[str, Any], **_: Any) -> None:
        if params.get("Key") == {"customer_id": {"S": "c-007"}} and left[0] > 0:
            left[0] -= 1
            raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")

    client = bootstrap.container().client("dynamodb")
    client.meta.events.register("before-parameter-build.dynamodb.UpdateItem", time_out)
    run = request(stack)
    assert left == [0] and len(pauses) == 2
    assert (run["status"], run["attempt"]) == ("succeeded", 1)
    assert (run["result"]["updated"], run["result"]["skipped"]) == (30, 0)
    assert stored(stack)["c-007"]["segment_key"]


def test_the_co_purchases_job_reads_a_timed_out_orders_page_again(
    stack: Stack, pauses: list[float]
) -> None:
    orders_table = stack.env["RAPPORT_ORDERS_TABLE"]
    left = [1]

    def time_out(params: dict[str, Any], **_: Any) -> None:
        if params.get("TableName") == orders_table and left[0] > 0:
            left[0] -= 1
            raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")

    client = bootstrap.container().client("dynamodb")
    client.meta.events.register("before-parameter-build.dynamodb.Scan", time_out)
    queued = stack.http.post("/v1/admin/jobs/co-purchases", headers=ADMIN, body="")
    run = stack.http.get(queued.json_body["url"], headers=ADMIN).json_body
    assert left == [0] and len(pauses) == 1
    assert (run["status"], run["attempt"], run["result"]["pairs"]) == ("succeeded", 1, 0)
