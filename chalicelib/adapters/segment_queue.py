"""Deliver the segment tasks of a fanned-out job.

On AWS each task is an SQS message; the queue's Lambda event source invokes the job's
segment function (``job_segment`` in ``app.py``, one message per invocation) and SQS
delivers a message again until it is deleted (after three failed receives it goes to
the jobs' dead-letter queue). Locally the tasks run in this process, at once, one after
the other, through the same handler (:func:`chalicelib.services.fanout.handle_task`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.services.exceptions import SendFailed

BATCH = 10
"""SQS's largest ``SendMessageBatch``."""


class SqsSegmentQueue:
    """Implements :class:`chalicelib.services.fanout_ports.SegmentQueue` on SQS."""

    def __init__(self, client: Any, queue_url: str) -> None:
        self._client = client
        self._url = queue_url

    def send(self, tasks: Sequence[dict[str, Any]]) -> None:
        """Send the tasks ten at a time; raises ``SendFailed`` if SQS refused one."""
        for start in range(0, len(tasks), BATCH):
            entries = [
                {"Id": str(n), "MessageBody": json.dumps(task, sort_keys=True)}
                for n, task in enumerate(tasks[start : start + BATCH])
            ]
            with throttling_as_adapter_error():
                answer = self._client.send_message_batch(QueueUrl=self._url, Entries=entries)
            if answer.get("Failed"):
                raise SendFailed(str(answer["Failed"][0].get("Code", "SendMessageBatchFailed")))


class InProcessSegmentQueue:
    """Implements :class:`chalicelib.services.fanout_ports.SegmentQueue` in this process.

    Each task's body runs at once, as the segment function would run its message; an
    error is raised to the sender (the run's attempt fails and is retried whole).
    """

    def __init__(self, handle: Callable[[dict[str, Any]], Any]) -> None:
        self._handle = handle

    def send(self, tasks: Sequence[dict[str, Any]]) -> None:
        """Run every task (as SQS would deliver its message: a JSON round trip)."""
        for task in tasks:
            self._handle(json.loads(json.dumps(task)))
