"""Resource definitions: tables, keys, indexes, streams, topics and queues.

Everything that exists in AWS is declared here once, as data. Three things are built
from these definitions, so a key or an index can never differ between them:

- the CloudFormation template (:mod:`infra.template`),
- the local stack's moto resources (:mod:`infra.provision`),
- the test fixtures (which call :mod:`infra.provision` too).

The runtime never imports this module: it learns table names, stream ARNs and topic
ARNs from environment variables (``env`` below), which the template and the local
stack both set. The stream batch sizes go the other way: they are the runtime's
(:mod:`chalicelib.handlers.batch_sizes`), so the app and the template agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.handlers.batch_sizes import BATCH_SIZES

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
class Queue:
    """An SQS queue (on-failure destinations)."""

    logical_id: str
    name: str
    env: str


CUSTOMERS = Table(
    logical_id="CustomersTable",
    name="rapport-customers",
    env="RAPPORT_CUSTOMERS_TABLE",
    hash_key="customer_id",
    attributes={
        "customer_id": "S",
        "segment_key": "S",
        "clv_value": "N",
        "loyalty": "S",
    },
    # Only the indexes the runtime queries. Profiles still carry ``birthday_md``,
    # ``tier_key``/``spent_12m`` and ``unreachable_key``, so a birthday, tier or
    # unreachable index added when a feature reads it needs no backfill.
    indexes=(
        Index("segment-clv", "segment_key", "clv_value"),
        Index("loyalty", "loyalty", "customer_id"),
    ),
    stream_env="RAPPORT_CUSTOMERS_STREAM_ARN",
)

TIMELINE = Table(
    logical_id="TimelineTable",
    name="rapport-timeline",
    env="RAPPORT_TIMELINE_TABLE",
    hash_key="customer_id",
    range_key="entry_key",
    attributes={"customer_id": "S", "entry_key": "S", "at": "S"},
    indexes=(Index("customer-time", "customer_id", "at"),),
)
"""Every entry has ``at`` (UTC ISO text): the admin timeline reads it newest first."""

MESSAGES = Table(
    logical_id="MessagesTable",
    name="rapport-messages",
    env="RAPPORT_MESSAGES_TABLE",
    hash_key="customer_id",
    range_key="message_key",
    attributes={
        "customer_id": "S",
        "message_key": "S",
        "status": "S",
        "created_at": "S",
    },
    indexes=(Index("status-created", "status", "created_at"),),
    stream_env="RAPPORT_MESSAGES_STREAM_ARN",
)

ORDERS = Table(
    logical_id="OrdersTable",
    name="rapport-orders",
    env="RAPPORT_ORDERS_TABLE",
    hash_key="order_id",
    range_key="record",
    attributes={
        "order_id": "S",
        "record": "S",
        "customer_id": "S",
        "placed_at": "S",
    },
    indexes=(Index("customer-placed", "customer_id", "placed_at"),),
    stream_env="RAPPORT_ORDERS_STREAM_ARN",
)
"""Orders (``record = "order"``) and their returns (``record = "return#<return_id>"``)."""

SHIPMENTS = Table(
    logical_id="ShipmentsTable",
    name="rapport-shipments",
    env="RAPPORT_SHIPMENTS_TABLE",
    hash_key="tracking_number",
    range_key="record",
    attributes={
        "tracking_number": "S",
        "record": "S",
        "order_id": "S",
        "customer_id": "S",
        "registered_at": "S",
    },
    indexes=(
        Index("order", "order_id", "tracking_number"),
        Index("customer", "customer_id", "registered_at"),
    ),
    stream_env="RAPPORT_SHIPMENTS_STREAM_ARN",
)
"""Parcels (``record = "parcel"``) and carrier scans (``record = "scan#<event_id>"``)."""

SETTINGS = Table(
    logical_id="SettingsTable",
    name="rapport-settings",
    env="RAPPORT_SETTINGS_TABLE",
    hash_key="setting_id",
    attributes={"setting_id": "S"},
    ttl_attribute="expires_at",  # job runs (``job-run#<id>``) expire; settings never do
)

SUPPORT = Table(
    logical_id="SupportTable",
    name="rapport-support",
    env="RAPPORT_SUPPORT_TABLE",
    hash_key="ticket_id",
    range_key="record",
    attributes={
        "ticket_id": "S",
        "record": "S",
        "status": "S",
        "opened_at": "S",
        "due_key": "S",
        "due_at": "S",
        "customer_id": "S",
    },
    indexes=(
        Index("status-opened", "status", "opened_at"),
        Index("open-due", "due_key", "due_at"),
        Index("customer-opened", "customer_id", "opened_at"),
    ),
)
"""Support tickets (``record = "ticket"``) with their thread (``message#<id>``,
``reply#<id>``), message-id guards, the open counter and per-day figures (``metrics``).
Holds customer data: a ticket names its customer, and messages and replies are their words."""

TABLES: tuple[Table, ...] = (
    CUSTOMERS,
    TIMELINE,
    MESSAGES,
    SETTINGS,
    ORDERS,
    SHIPMENTS,
    SUPPORT,
)

ORDER_STREAM_PARALLELIZATION = 8
"""The orders stream's batches in flight per shard: a shop's order facts for different
orders at once, each order's changes in order (a customer's facts meeting on one profile
are serialized by its version, ``services/value_facts.py``)."""

STREAM_CONSUMERS: tuple[StreamConsumer, ...] = tuple(
    StreamConsumer(handler, table.logical_id, BATCH_SIZES[handler], parallelization_factor=factor)
    for handler, table, factor in (
        ("on_customer", CUSTOMERS, 1),
        ("mailer", MESSAGES, 1),
        ("on_order", ORDERS, ORDER_STREAM_PARALLELIZATION),
        ("on_shipment", SHIPMENTS, 1),
    )
)

TRACKING_TOPIC = Topic("TrackingTopic", "rapport-tracking", "RAPPORT_TRACKING_TOPIC_ARN")
SES_FEEDBACK_TOPIC = Topic(
    "SesFeedbackTopic", "rapport-ses-feedback", "RAPPORT_SES_FEEDBACK_TOPIC_ARN"
)
TOPICS: tuple[Topic, ...] = (TRACKING_TOPIC, SES_FEEDBACK_TOPIC)

FAILED_RECORDS_QUEUE = Queue(
    "FailedRecordsQueue", "rapport-failed-records", "RAPPORT_FAILED_RECORDS_QUEUE_URL"
)
JOB_DEAD_LETTER_QUEUE = Queue(
    "JobDeadLetterQueue", "rapport-job-dead-letters", "RAPPORT_JOB_DEAD_LETTER_QUEUE_URL"
)
"""Job invocations that failed every retry: EventBridge's undeliverable ``JobRequested``
events and Lambda's records of invocations whose last attempt failed."""
QUEUES: tuple[Queue, ...] = (FAILED_RECORDS_QUEUE, JOB_DEAD_LETTER_QUEUE)

SIGNING_SECRET = Secret(
    logical_id="SigningSecret",
    name="rapport-signing",
    env="RAPPORT_SIGNING_SECRET_ARN",
    description="HMAC key for Rapport's signed public links",
    # The API verifies links; the mailer and the shipments stream write them into mail.
    functions=("APIHandler", "Mailer", "OnShipment"),
)
CARRIER_SECRET = Secret(
    logical_id="CarrierSecret",
    name="rapport-carrier",
    env="RAPPORT_CARRIER_SECRET_ARN",
    description="HMAC key carriers sign their webhooks with (X-Rapport-Signature)",
    functions=("APIHandler",),  # POST /v1/carrier-events
)
SECRETS: tuple[Secret, ...] = (SIGNING_SECRET, CARRIER_SECRET)

SES_CONFIGURATION_SET = "rapport"
"""SES configuration set: bounce and complaint events go to the feedback topic."""


def table_by_logical_id(logical_id: str) -> Table:
    """Return the table declared under ``logical_id``."""
    for table in TABLES:
        if table.logical_id == logical_id:
            return table
    raise KeyError(logical_id)


SCIENCE_LAYER = Layer(
    logical_id="ScienceLayer",
    requirements="requirements-science.txt",
    archive="science-layer.zip",
    description="numpy and scipy for Rapport's customer-value models",
    # The orders stream (per-order CLV rescoring with the stored parameters) and the
    # customer-value job (the fit). The other functions never import numpy
    # (tests/functional/test_functions_without_numpy.py).
    functions=("OnOrder", "CustomerValue"),
)
LAYERS: tuple[Layer, ...] = (SCIENCE_LAYER,)

SCHEDULED_JOBS: tuple[ScheduledJob, ...] = (
    ScheduledJob(handler="deferred_mail", job="deferred-mail"),
    ScheduledJob(handler="customer_value", job="customer-value"),
    ScheduledJob(handler="co_purchases", job="co-purchases"),
)
