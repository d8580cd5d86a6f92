"""Launching a requested run: one EventBridge entry, or the job's body in this process."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.adapters.job_launcher import EventBridgeJobLauncher, InProcessJobLauncher
from chalicelib.domain.job_runs import ATTEMPTS, QUEUED, JobRun
from chalicelib.services.exceptions import SendFailed

RUN = JobRun("run-1", "customer-value", None, QUEUED, datetime(2026, 11, 23, tzinfo=UTC))


class FakeEvents:
    def __init__(self, failed: bool = False) -> None:
        self.entries: list[dict[str, Any]] = []
        self.failed = failed

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803
        self.entries.extend(Entries)
        if self.failed:
            return {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalFailure"}]}
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "e-1"}]}


def test_eventbridge_launch_puts_one_job_requested_event_the_rules_match() -> None:
    events = FakeEvents()
    EventBridgeJobLauncher(events).launch(RUN)
    assert len(events.entries) == 1
    entry = events.entries[0]
    assert (entry["Source"], entry["DetailType"]) == ("rapport", "JobRequested")
    assert json.loads(entry["Detail"]) == {"job": "customer-value", "run_id": "run-1"}


def test_a_refused_event_is_an_error_not_a_silent_loss() -> None:
    with pytest.raises(SendFailed):
        EventBridgeJobLauncher(FakeEvents(failed=True)).launch(RUN)


def test_in_process_launch_runs_the_body_at_once_or_on_a_thread() -> None:
    seen: list[tuple[dict[str, Any], str]] = []
    done = threading.Event()

    def execute(detail: dict[str, Any]) -> None:
        seen.append((detail, threading.current_thread().name))
        done.set()

    InProcessJobLauncher(execute, background=False).launch(RUN)
    assert seen == [({"job": "customer-value", "run_id": "run-1"}, "MainThread")]
    done.clear()
    InProcessJobLauncher(execute, background=True).launch(RUN)
    assert done.wait(5)
    assert seen[1][1].startswith("job-customer-value-")


def test_in_process_launch_invokes_a_failing_body_again_as_lambda_retries() -> None:
    outcomes = [RuntimeError("attempt 1"), None]
    calls: list[dict[str, Any]] = []

    def execute(detail: dict[str, Any]) -> None:
        calls.append(detail)
        error = outcomes[len(calls) - 1]
        if error:
            raise error

    InProcessJobLauncher(execute, background=False).launch(RUN)
    assert len(calls) == 2  # stops at the first success
    always: list[dict[str, Any]] = []

    def failing(detail: dict[str, Any]) -> None:
        always.append(detail)
        raise RuntimeError("broken")

    InProcessJobLauncher(failing, background=False).launch(RUN)
    assert len(always) == ATTEMPTS
