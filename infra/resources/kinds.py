"""The kinds of resource: the dataclasses every definition is an instance of."""

from __future__ import annotations

from dataclasses import dataclass, field

STREAM_VIEW = "NEW_AND_OLD_IMAGES"


@dataclass(frozen=True)
class Index:
    """A global secondary index."""

    name: str
    hash_key: str
    range_key: str | None = None
    projection: str = "ALL"


@dataclass(frozen=True)
class Table:
    """A DynamoDB table and how the runtime finds it."""

    logical_id: str
    name: str
    env: str
    hash_key: str
    range_key: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    indexes: tuple[Index, ...] = ()
    stream_env: str | None = None
    ttl_attribute: str | None = None
    holds_customer_data: bool = field(kw_only=True)
    """Whether items of this table describe a person (declared by every table, no
    default): the export must cover such a table and the erasure scrub it
    (``tests/functional/test_privacy_coverage.py``)."""

    @property
    def has_stream(self) -> bool:
        """Whether a stream handler consumes this table."""
        return self.stream_env is not None


@dataclass(frozen=True)
class StreamConsumer:
    """A Lambda function fed by a table's stream (chalice handler name)."""

    handler: str
    table: str
    batch_size: int
    maximum_retry_attempts: int = 10
    bisect_on_error: bool = True
    maximum_batching_window_seconds: int = 1
    parallelization_factor: int = 1
    """Concurrent batches per shard (Lambda's 1-10), each lane keeping its keys' order."""


@dataclass(frozen=True)
class ScheduledJob:
    """A job's function (chalice handler of an ``@app.schedule``) and its job name.

    Besides its schedule, the function runs the runs admins request: an EventBridge rule
    sends it the ``JobRequested`` events (source ``rapport``) whose ``detail.job`` is
    ``job``.
    """

    handler: str
    job: str
    delivery_retries: int = 2
    """EventBridge's retries of an invocation Lambda refused (throttled, unavailable)."""
    delivery_max_age_seconds: int = 3600
    invocation_retries: int = 2
    """Lambda's retries of an invocation whose function failed or was stopped: each starts
    the same run's next attempt (``chalicelib.domain.job_runs.ATTEMPTS`` is one more)."""
    invocation_max_age_seconds: int = 6 * 3600


@dataclass(frozen=True)
class Layer:
    """A Lambda layer built from a requirements file, and the functions that use it."""

    logical_id: str
    requirements: str
    archive: str
    description: str
    functions: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    """An SNS topic."""

    logical_id: str
    name: str
    env: str


@dataclass(frozen=True)
class EventBus:
    """An EventBridge bus the store subscribes to with its own rules."""

    logical_id: str
    name: str
    env: str


@dataclass(frozen=True)
class Secret:
    """A Secrets Manager secret and the functions that read it at run time.

    Only those functions get its ARN (in ``env``, never its value) and
    ``secretsmanager:GetSecretValue`` on it; the runtime fetches the value through
    Powertools' Parameters utility and caches it for a few minutes.
    """

    logical_id: str
    name: str
    env: str
    description: str
    functions: tuple[str, ...]


@dataclass(frozen=True)
class Bucket:
    """An S3 bucket: private, encrypted, its objects expiring after ``expire_days``."""

    logical_id: str
    name: str
    env: str
    expire_days: int
    holds_customer_data: bool = field(kw_only=True)


@dataclass(frozen=True)
class Queue:
    """An SQS queue (on-failure destinations)."""

    logical_id: str
    name: str
    env: str
