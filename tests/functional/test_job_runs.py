"""Jobs on demand: queued by the API, run once by the job's function, followed by URL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from chalicelib import bootstrap
from chalicelib.adapters import codec
from chalicelib.adapters.job_launcher import EventBridgeJobLauncher
from chalicelib.domain.job_runs import QUEUED, JobRun
from chalicelib.services.job_runs import FANOUT_TIME_LIMIT
from infra.template import merge_template
from tests.functional.conftest import ADMIN, Stack, run_job

FIXTURE = Path(__file__).resolve().parent.parent / "events" / "job_requested_event.json"
SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def queued_run(job: str) -> JobRun:
    run = JobRun(f"run-{job}", job, None, QUEUED, datetime.now(UTC))
    bootstrap.container().job_runs.runs.create(run)
    return run


def job_requested_event(job: str, run_id: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(FIXTURE.read_text())
    event["detail"] = {"job": job, "run_id": run_id}
    return event


def test_post_answers_202_with_where_to_follow_the_run(stack: Stack) -> None:
    queued = stack.http.post("/v1/admin/jobs/co-purchases", headers=ADMIN, body="")
    assert queued.status_code == 202
    body = queued.json_body
    assert body["job"] == "co-purchases" and body["as_of"] is None
    assert body["url"] == f"/v1/admin/jobs/co-purchases/runs/{body['run_id']}"
    run = stack.http.get(body["url"], headers=ADMIN).json_body
    schema = json.loads(SPEC.read_text())["components"]["schemas"]["JobRun"]
    assert set(body) == set(run) == set(schema["required"]) == set(schema["properties"])
    assert run["status"] == "succeeded"
    result = run["result"]  # the job fans out: one scan segment for an empty table
    assert (result["job"], result["orders"], result["pairs"], result["skus"]) == (
        "co-purchases",
        0,
        0,
        0,
    )
    assert result["scan_segments"] == 1 and result["segment_timings"][0]["orders"] == 0
    assert run["requested_at"] <= run["started_at"] <= run["finished_at"] < run["deadline"]
    dated = stack.http.post(
        "/v1/admin/jobs/co-purchases", headers=ADMIN, body='{"as_of": "2026-11-01"}'
    )
    assert dated.status_code == 400 and dated.json_body["error"]["field"] == "as_of"


def test_the_jobs_function_runs_a_requested_run_once_per_run(stack: Stack) -> None:
    run = queued_run("deferred-mail")
    event = job_requested_event("deferred-mail", run.run_id)
    first = stack.client.lambda_.invoke("deferred_mail", event).payload
    assert first == {"job": "deferred-mail", "requeued": 0, "run_id": run.run_id, "attempt": 1}
    again = stack.client.lambda_.invoke("deferred_mail", event).payload  # EventBridge retry
    assert again["skipped"] == "already succeeded"
    shown = stack.http.get(f"/v1/admin/jobs/deferred-mail/runs/{run.run_id}", headers=ADMIN)
    assert shown.json_body["status"] == "succeeded"
    assert shown.json_body["result"] == {"job": "deferred-mail", "requeued": 0}


def test_a_function_ignores_requests_for_another_jobs_run(stack: Stack) -> None:
    run = queued_run("customer-value")
    event = job_requested_event("customer-value", run.run_id)
    skipped = stack.client.lambda_.invoke("deferred_mail", event).payload
    assert skipped["skipped"] == "unknown run"
    shown = stack.http.get(f"/v1/admin/jobs/customer-value/runs/{run.run_id}", headers=ADMIN)
    assert shown.json_body["status"] == "queued"


def test_runs_are_found_only_under_their_job_and_only_with_the_admin_key(stack: Stack) -> None:
    result = run_job(stack, "deferred-mail")
    assert result == {"job": "deferred-mail", "requeued": 0}
    queued = stack.http.post("/v1/admin/jobs/deferred-mail", headers=ADMIN, body="")
    run_id = queued.json_body["run_id"]
    other = stack.http.get(f"/v1/admin/jobs/co-purchases/runs/{run_id}", headers=ADMIN)
    assert other.status_code == 404 and other.json_body["error"]["field"] == "run_id"
    missing = stack.http.get("/v1/admin/jobs/deferred-mail/runs/nope", headers=ADMIN)
    assert missing.status_code == 404
    unknown = stack.http.get("/v1/admin/jobs/nope/runs/x", headers=ADMIN)
    assert unknown.status_code == 404 and unknown.json_body["error"]["field"] == "name"
    anonymous = stack.http.get(f"/v1/admin/jobs/deferred-mail/runs/{run_id}")
    assert anonymous.status_code == 401
    item = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_SETTINGS_TABLE"],
        Key={"setting_id": {"S": f"job-run#{run_id}"}},
    )["Item"]
    assert int(item["expires_at"]["N"]) > datetime.now(UTC).timestamp() + 80 * 86400


def test_the_event_the_api_puts_on_the_bus_matches_the_templates_rule(stack: Stack) -> None:
    """The launcher's event reaches a target through the pattern the template deploys."""
    template = merge_template()
    events = stack.session.client("events")
    sqs = stack.session.client("sqs")
    queue = sqs.create_queue(QueueName="job-requests")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    for function in ("CustomerValue", "DeferredMail"):
        [rule] = template["Resources"][function]["Properties"]["Events"].values()
        events.put_rule(Name=function, EventPattern=json.dumps(rule["Properties"]["Pattern"]))
        target = {"Id": function, "Arn": arn["Attributes"]["QueueArn"]}
        events.put_targets(Rule=function, Targets=[target])
    run = JobRun("run-42", "customer-value", None, QUEUED, datetime.now(UTC))
    EventBridgeJobLauncher(events).launch(run)
    received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"])["detail"] for m in received] == [
        {"job": "customer-value", "run_id": "run-42"}
    ]


def test_a_run_whose_function_was_stopped_is_shown_as_timed_out(stack: Stack) -> None:
    """A function stopped at its timeout cannot record the end; the run is shown failed."""
    now = datetime.now(UTC)
    run = JobRun("run-stopped", "customer-value", None, QUEUED, now - timedelta(hours=1))
    runs = bootstrap.container().job_runs.runs
    runs.create(run)
    stopped = run.started(now - timedelta(minutes=59), now - timedelta(minutes=44))
    assert runs.start(stopped, replacing=QUEUED)
    shown = stack.http.get("/v1/admin/jobs/customer-value/runs/run-stopped", headers=ADMIN)
    assert (shown.json_body["status"], shown.json_body["error"]) == ("failed", "Timeout")


def test_the_function_takes_its_deadline_from_the_time_lambda_gives_it(stack: Stack) -> None:
    run = queued_run("deferred-mail")
    stack.client.lambda_.invoke("deferred_mail", job_requested_event("deferred-mail", run.run_id))
    stored = bootstrap.container().job_runs.runs.get(run.run_id)
    assert stored is not None and stored.started_at and stored.deadline
    # chalice's test context gives a function 3 s: the deadline follows it, not a default
    assert timedelta(0) < stored.deadline - stored.started_at <= timedelta(seconds=3)


def test_a_fanned_out_run_takes_the_fan_outs_deadline_not_its_launchers(stack: Stack) -> None:
    run = queued_run("co-purchases")
    stack.client.lambda_.invoke("co_purchases", job_requested_event("co-purchases", run.run_id))
    stored = bootstrap.container().job_runs.runs.get(run.run_id)
    assert stored is not None and stored.started_at and stored.deadline
    assert stored.deadline - stored.started_at == FANOUT_TIME_LIMIT  # the launcher had 3 s


def test_only_one_delivery_starts_each_attempt_of_a_stored_run(stack: Stack) -> None:
    runs = bootstrap.container().job_runs.runs
    now = datetime.now(UTC)
    queued = queued_run("customer-value")
    first = queued.started(now, now + timedelta(minutes=15))
    assert runs.start(first, replacing=QUEUED)
    assert not runs.start(first, replacing=QUEUED)  # a duplicate delivery read it queued too
    runs.finish(first.finished(now, error="Unavailable"))
    failed = runs.get(queued.run_id)
    assert failed is not None and (failed.status, failed.attempt) == ("failed", 1)
    second = failed.started(now, now + timedelta(minutes=15))
    assert runs.start(second, replacing="failed")
    assert not runs.start(second, replacing="failed")  # Lambda's retry and a late duplicate
    stored = runs.get(queued.run_id)
    assert stored is not None and (stored.status, stored.attempt) == ("running", 2)


def test_a_run_stored_before_attempts_were_counted_is_started_as_its_first(
    stack: Stack,
) -> None:
    client, table = stack.dynamodb(), stack.env["RAPPORT_SETTINGS_TABLE"]
    run = JobRun("run-old", "co-purchases", None, QUEUED, datetime.now(UTC))
    old = {key: value for key, value in run.to_dict().items() if key != "attempt"}
    item = {"setting_id": "job-run#run-old", "run": old}
    client.put_item(TableName=table, Item=codec.to_item(item))
    result = stack.client.lambda_.invoke(
        "co_purchases", job_requested_event("co-purchases", "run-old")
    ).payload
    assert result["attempt"] == 1
