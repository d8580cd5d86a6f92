"""The customer-value job fanned out over scan segments gives what one segment gives."""

from __future__ import annotations

import json
from typing import Any

from chalicelib import bootstrap
from chalicelib.services.fanout import handle_task
from tests.functional.conftest import ADMIN, Stack, run_job
from tests.functional.test_customer_value_job import customers, put_profiles, stored

DERIVED = ("loyalty", "rfm", "segment_key", "clv", "clv_value")


def with_segments(stack: Stack, segments: int) -> None:
    body = json.dumps({"job_segments": segments})
    answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=body)
    assert answer.status_code == 200, answer.body


def derived(stack: Stack) -> dict[str, dict[str, Any]]:
    return {cid: {key: item.get(key) for key in DERIVED} for cid, item in stored(stack).items()}


def models(stack: Stack) -> dict[str, Any]:
    found = {}
    for name in ("rfm", "clv"):
        answer = stack.http.get(f"/v1/admin/models/{name}", headers=ADMIN)
        assert answer.status_code == 200, answer.body
        found[name] = {k: v for k, v in answer.json_body.items() if k != "computed_at"}
    return found


def run(stack: Stack, segments: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    put_profiles(stack, customers(160))  # as new: no derived values yet
    with_segments(stack, segments)
    result = run_job(stack, "customer-value", json.dumps({"as_of": "2026-11-01"}))
    return result, derived(stack), models(stack)


def test_eight_segments_score_every_customer_as_one_segment_does(stack: Stack) -> None:
    one, one_profiles, one_models = run(stack, 1)
    eight, eight_profiles, eight_models = run(stack, 8)
    assert eight_profiles == one_profiles and len(one_profiles) == 160
    assert eight_models == one_models
    assert isinstance(one["clv"], dict) and one["rfm"] == "stored"
    timed = ("scan_segments", "segment_timings", "seconds")
    assert {k: v for k, v in eight.items() if k not in timed} == {
        k: v for k, v in one.items() if k not in timed
    }
    assert (one["scan_segments"], eight["scan_segments"]) == (1, 8)
    timings = eight["segment_timings"]
    assert [t["segment"] for t in timings] == list(range(8))
    assert sum(t["customers"] for t in timings) == 160 and all(t["customers"] for t in timings)
    assert all(t["summarize_seconds"] >= 0 and t["rescore_seconds"] >= 0 for t in timings)


def test_a_repeated_segment_task_changes_nothing(stack: Stack) -> None:
    put_profiles(stack, customers(60))
    with_segments(stack, 3)
    first = run_job(stack, "customer-value")
    deps = bootstrap.container().fanout
    run_id = first_run_id(stack)
    task = {
        "job": "customer-value",
        "run_id": run_id,
        "fanout": f"{run_id}#1",
        "phase": "rescore",
        "segment": 2,
        "total": 3,
    }
    assert handle_task(task, deps)["skipped"]  # the run is over: a late delivery is stale
    shown = stack.http.get(f"/v1/admin/jobs/customer-value/runs/{run_id}", headers=ADMIN)
    assert shown.json_body["result"] == first
    assert deps.store.finish_segment(f"{run_id}#1", "rescore", 2) == 3  # counted once


def first_run_id(stack: Stack) -> str:
    client, table = stack.dynamodb(), stack.env["RAPPORT_SETTINGS_TABLE"]
    items = client.scan(TableName=table)["Items"]
    runs = [i["setting_id"]["S"] for i in items if i["setting_id"]["S"].startswith("job-run#")]
    assert len(runs) == 1
    return runs[0].removeprefix("job-run#")


def test_the_segment_function_runs_the_task_in_its_sqs_message(stack: Stack) -> None:
    task = {
        "job": "customer-value",
        "run_id": "gone",
        "fanout": "gone#1",
        "phase": "summarize",
        "segment": 0,
        "total": 1,
    }
    event = {
        "Records": [
            {
                "messageId": "m-1",
                "receiptHandle": "r-1",
                "body": json.dumps(task),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:rapport-job-segments",
                "awsRegion": "us-east-1",
            }
        ]
    }
    answer = stack.client.lambda_.invoke("job_segment", event)
    [done] = answer.payload["tasks"]
    assert done["skipped"] == "not the run's current attempt" and done["fanout"] == "gone#1"
