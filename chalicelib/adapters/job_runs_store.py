"""Job runs in the settings table (``setting_id = "job-run#<run_id>"``), kept 90 days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import condition_held, throttling_as_adapter_error
from chalicelib.adapters.items import get_item
from chalicelib.adapters.pages import key_of, query_page
from chalicelib.domain.job_runs import JobRun
from chalicelib.domain.times import iso

PREFIX = "job-run#"
KEEP = timedelta(days=90)
RUNS_INDEX = "job-runs"
"""The settings table's runs by ``job_name``, newest ``requested_at`` first (sparse: only
run items carry both)."""
_RUN_KEYS = frozenset({"setting_id", "job_name", "requested_at"})


class DynamoJobRunStore:
    """Implements :class:`chalicelib.services.ports.JobRunStore`."""

    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _item(self, run: JobRun) -> dict[str, Any]:
        expires = int((run.requested_at + KEEP).timestamp())
        return codec.to_item(
            {
                "setting_id": PREFIX + run.run_id,
                "run": run.to_dict(),
                "expires_at": expires,
                "job_name": run.job,
                "requested_at": iso(run.requested_at),
            }
        )

    def create(self, run: JobRun) -> None:
        """Store a new run."""
        with throttling_as_adapter_error():
            self._client.put_item(
                TableName=self._table,
                Item=self._item(run),
                ConditionExpression="attribute_not_exists(setting_id)",
            )

    def get(self, run_id: str) -> JobRun | None:
        """The run, or ``None``."""
        item = get_item(self._client, self._table, {"setting_id": PREFIX + run_id})
        return JobRun.from_dict(item["run"]) if item and "run" in item else None

    def recent(self, job: str, limit: int, cursor: str | None) -> tuple[list[JobRun], str | None]:
        """One page of ``job``'s runs, the latest requested first (the ``job-runs`` index).

        Raises ``ValueError`` for a cursor this list did not give out for ``job``.
        """
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": RUNS_INDEX,
            "KeyConditionExpression": "job_name = :j",
            "ExpressionAttributeValues": {":j": {"S": job}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        check = key_of(_RUN_KEYS, job_name=job)
        items, after = query_page(self._client, arguments, cursor, check)
        return [JobRun.from_dict(item["run"]) for item in items if "run" in item], after

    def start(self, run: JobRun, replacing: str) -> bool:
        """Store the run's next attempt over the previous one, if that is still stored with
        status ``replacing``; ``False`` when another delivery got there first."""
        return self._put(run, replacing, previous_attempt=run.attempt - 1)

    def finish(self, run: JobRun, only_if: str | None = None) -> None:
        """Record how a run ended (if the stored status is ``only_if``, when given)."""
        self._put(run, only_if)

    def _put(self, run: JobRun, only_if: str | None, previous_attempt: int | None = None) -> bool:
        condition: dict[str, Any] = {}
        if only_if is not None:
            condition = {
                "ConditionExpression": "#run.#status = :expected",
                "ExpressionAttributeNames": {"#run": "run", "#status": "status"},
                "ExpressionAttributeValues": {":expected": {"S": only_if}},
            }
        if previous_attempt is not None:
            # runs stored before attempts were counted have none: queued ones are attempt 0
            absent = " OR attribute_not_exists(#run.#attempt)" if previous_attempt <= 1 else ""
            condition["ConditionExpression"] += f" AND (#run.#attempt = :attempt{absent})"
            condition["ExpressionAttributeNames"]["#attempt"] = "attempt"
            condition["ExpressionAttributeValues"][":attempt"] = {"N": str(previous_attempt)}
        return condition_held(
            self._client.put_item, TableName=self._table, Item=self._item(run), **condition
        )
