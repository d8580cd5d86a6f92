"""Start a requested job run in the job's own function.

On AWS the API puts a ``JobRequested`` event on the default EventBridge bus; a rule per
job (in the template) delivers it to the job's function, which runs it with its own
timeout and memory (:func:`chalicelib.handlers.entry.job`). Locally the run is executed
in this process, on a thread (the local stack) or at once (the functional tests).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.domain.job_runs import ATTEMPTS, REQUEST_DETAIL_TYPE, REQUEST_SOURCE, JobRun
from chalicelib.observability import logger
from chalicelib.services.exceptions import SendFailed


def request_event(run: JobRun) -> dict[str, Any]:
    """The EventBridge entry that asks for ``run`` (its ``detail`` is what the job reads)."""
    return {
        "Source": REQUEST_SOURCE,
        "DetailType": REQUEST_DETAIL_TYPE,
        "Detail": json.dumps({"job": run.job, "run_id": run.run_id}),
    }


class EventBridgeJobLauncher:
    """Implements :class:`chalicelib.services.ports.JobLauncher` on EventBridge."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def launch(self, run: JobRun) -> None:
        """Put the request on the default bus; raises ``SendFailed`` when it was refused."""
        with throttling_as_adapter_error():
            response = self._client.put_events(Entries=[request_event(run)])
        if response.get("FailedEntryCount"):
            raise SendFailed(str(response["Entries"][0].get("ErrorCode", "PutEventsFailed")))


class InProcessJobLauncher:
    """Implements :class:`chalicelib.services.ports.JobLauncher` in this process.

    Like Lambda for an asynchronous invocation, a body that fails is invoked again with
    the same request, up to ``deliveries`` times in all (at once: Lambda waits a minute,
    then two).
    """

    def __init__(
        self,
        execute: Callable[[dict[str, Any]], Any],
        background: bool,
        deliveries: int = ATTEMPTS,
    ) -> None:
        self._execute = execute
        self._background = background
        self._deliveries = deliveries

    def launch(self, run: JobRun) -> None:
        """Run the job function's body on the request's detail (on a thread if asked).

        A failing job is the run's failure (recorded by the body), not the launch's.
        """
        detail = json.loads(request_event(run)["Detail"])
        if not self._background:
            self._run(detail)
            return
        name = f"job-{run.job}-{run.run_id[:8]}"
        threading.Thread(target=self._run, args=(detail,), name=name, daemon=True).start()

    def _run(self, detail: dict[str, Any]) -> None:
        for delivery in range(1, self._deliveries + 1):
            try:
                self._execute(detail)
                return
            except Exception as error:  # noqa: BLE001 - recorded on the run by the job's body
                extra = {"error": type(error).__name__, "delivery": delivery}
                logger.warning("requested job failed", extra=extra)
