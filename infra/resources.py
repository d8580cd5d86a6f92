"""Resource definitions: tables, keys, indexes, streams, topics and queues.

Everything that exists in AWS is declared here once, as data. Three things are built
from these definitions, so a key or an index can never differ between them:

- the CloudFormation template (:mod:`infra.template`),
- the local stack's moto resources (:mod:`infra.provision`),
- the test fixtures (which call :mod:`infra.provision` too).

The runtime never imports this module: it learns table names, stream ARNs and topic
ARNs from environment variables (``env`` below), which the template and the local
stack both set. The stream batch sizes go the other way: they are the runtime's
(:mod:`chalicelib.handlers.batch_sizes`), so the app and the template agree; so do
the index names (each defined by the adapter that queries it) and the names of the
secrets' ARN variables (:mod:`chalicelib.config`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.adapters.admin_keys_store import LISTING_INDEX
from chalicelib.adapters.customer_value_store import LOYALTY_INDEX, SEGMENT_INDEX
from chalicelib.adapters.customers_repository import TIMELINE_INDEX
from chalicelib.adapters.feedback_store import PROVIDER_INDEX
from chalicelib.adapters.orders_repository import CUSTOMER_ORDERS_INDEX
from chalicelib.adapters.outbox import STATUS_INDEX
from chalicelib.adapters.shipments_repository import CUSTOMER_PARCELS_INDEX, ORDER_INDEX
from chalicelib.adapters.support_repository import (
    CUSTOMER_OPENED_INDEX,
    OPEN_DUE_INDEX,
    STATUS_OPENED_INDEX,
)
from chalicelib.adapters.unreachable_list import UNREACHABLE_INDEX
from chalicelib.config import (
    CARRIER_SECRET_VARIABLE,
    SEGMENTS_QUEUE_VARIABLE,
    SIGNING_SECRET_VARIABLE,
)
from chalicelib.handlers.batch_sizes import BATCH_SIZES
from chalicelib.handlers.batch_sizes import JOB_SEGMENTS_QUEUE as SEGMENTS_QUEUE_NAME
from chalicelib.handlers.topics import SES_FEEDBACK_TOPIC as FEEDBACK_TOPIC_NAME

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
        "unreachable_key": "S",
    },
    # Only the indexes the runtime queries. Profiles still carry ``birthday_md`` and
    # ``tier_key``/``spent_12m``, so a birthday or tier index added when a feature reads
    # it needs no backfill.
    indexes=(
        Index(SEGMENT_INDEX, "segment_key", "clv_value"),
        Index(LOYALTY_INDEX, "loyalty", "customer_id"),
        # GET /v1/admin/customers?reachable=false (sparse: only unreachable profiles)
        Index(UNREACHABLE_INDEX, "unreachable_key", "customer_id"),
    ),
    stream_env="RAPPORT_CUSTOMERS_STREAM_ARN",
    holds_customer_data=True,
)

TIMELINE = Table(
    logical_id="TimelineTable",
    name="rapport-timeline",
    env="RAPPORT_TIMELINE_TABLE",
    hash_key="customer_id",
    range_key="entry_key",
    attributes={"customer_id": "S", "entry_key": "S", "at": "S"},
    indexes=(Index(TIMELINE_INDEX, "customer_id", "at"),),
    holds_customer_data=True,
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
        "provider_message_id": "S",
    },
    indexes=(
        Index(STATUS_INDEX, "status", "created_at"),
        # SES feedback names the mail by the id the send returned (sparse: sent mail only)
        Index(PROVIDER_INDEX, "provider_message_id", projection="KEYS_ONLY"),
    ),
    stream_env="RAPPORT_MESSAGES_STREAM_ARN",
    holds_customer_data=True,
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
    indexes=(Index(CUSTOMER_ORDERS_INDEX, "customer_id", "placed_at"),),
    stream_env="RAPPORT_ORDERS_STREAM_ARN",
    holds_customer_data=True,
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
        Index(ORDER_INDEX, "order_id", "tracking_number"),
        Index(CUSTOMER_PARCELS_INDEX, "customer_id", "registered_at"),  # export, erasure
    ),
    stream_env="RAPPORT_SHIPMENTS_STREAM_ARN",
    holds_customer_data=True,
)
"""Parcels (``record = "parcel"``) and carrier scans (``record = "scan#<event_id>"``)."""

SETTINGS = Table(
    logical_id="SettingsTable",
    name="rapport-settings",
    env="RAPPORT_SETTINGS_TABLE",
    hash_key="setting_id",
    attributes={"setting_id": "S"},
    ttl_attribute="expires_at",  # job runs (``job-run#<id>``) expire; settings never do
    holds_customer_data=False,
)

SUPPORT = Table(
    logical_id="SupportTable",
    name="rapport-support",
    env="RAPPORT_SUPPORT_TABLE",
    holds_customer_data=True,
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
        Index(STATUS_OPENED_INDEX, "status", "opened_at"),
        Index(OPEN_DUE_INDEX, "due_key", "due_at"),
        Index(CUSTOMER_OPENED_INDEX, "customer_id", "opened_at"),
    ),
)
"""Support tickets (``record = "ticket"``) with their thread (``message#<id>``,
``reply#<id>``), message-id guards, the open counter and per-day figures (``metrics``).
Holds customer data: a ticket names its customer, and messages and replies are their words."""

KEYS = Table(
    logical_id="KeysTable",
    name="rapport-keys",
    env="RAPPORT_KEYS_TABLE",
    holds_customer_data=False,
    hash_key="key_id",
    attributes={"key_id": "S", "listing": "S", "created_at": "S"},
    indexes=(Index(LISTING_INDEX, "listing", "created_at"),),
)
"""Admin keys the API issued: id, name, role, HMAC digest, created and last-used dates.
No personal data (a key's name labels what uses it); never the key itself."""

TABLES: tuple[Table, ...] = (
    CUSTOMERS,
    TIMELINE,
    MESSAGES,
    SETTINGS,
    ORDERS,
    SHIPMENTS,
    SUPPORT,
    KEYS,
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
    "SesFeedbackTopic", FEEDBACK_TOPIC_NAME, "RAPPORT_SES_FEEDBACK_TOPIC_ARN"
)
"""SES's bounce, complaint and delivery notifications (the configuration set's events),
read by the ``on_ses_feedback`` handler."""
TOPICS: tuple[Topic, ...] = (TRACKING_TOPIC, SES_FEEDBACK_TOPIC)

FAILED_RECORDS_QUEUE = Queue(
    "FailedRecordsQueue", "rapport-failed-records", "RAPPORT_FAILED_RECORDS_QUEUE_URL"
)
JOB_DEAD_LETTER_QUEUE = Queue(
    "JobDeadLetterQueue", "rapport-job-dead-letters", "RAPPORT_JOB_DEAD_LETTER_QUEUE_URL"
)
"""Job invocations that failed every retry: EventBridge's undeliverable ``JobRequested``
events and Lambda's records of invocations whose last attempt failed."""
JOB_SEGMENTS_QUEUE = Queue("JobSegmentsQueue", SEGMENTS_QUEUE_NAME, SEGMENTS_QUEUE_VARIABLE)
"""The fanned-out nightly jobs' segment tasks, read by the ``job_segment`` function (one
message per invocation); a message received three times goes to the dead letters."""
SEGMENT_RECEIVES = 3
QUEUES: tuple[Queue, ...] = (FAILED_RECORDS_QUEUE, JOB_DEAD_LETTER_QUEUE, JOB_SEGMENTS_QUEUE)

SIGNING_SECRET = Secret(
    logical_id="SigningSecret",
    name="rapport-signing",
    env=SIGNING_SECRET_VARIABLE,
    description="HMAC key for Rapport's signed public links",
    # The API verifies links; the mailer and the shipments stream write them into mail.
    functions=("APIHandler", "Mailer", "OnShipment"),
)
CARRIER_SECRET = Secret(
    logical_id="CarrierSecret",
    name="rapport-carrier",
    env=CARRIER_SECRET_VARIABLE,
    description="HMAC key carriers sign their webhooks with (X-Rapport-Signature)",
    functions=("APIHandler",),  # POST /v1/carrier-events
)
ADMIN_KEYS_SECRET = Secret(
    logical_id="AdminKeysSecret",
    name="rapport-admin-keys",
    env="RAPPORT_ADMIN_KEYS_SECRET_ARN",
    description="HMAC key under which Rapport stores the digests of the admin keys it issues",
    # The API issues keys (POST /v1/admin/keys); the admin authorizer checks them.
    functions=("APIHandler", "AdminKey"),
)
SECRETS: tuple[Secret, ...] = (SIGNING_SECRET, CARRIER_SECRET, ADMIN_KEYS_SECRET)

SES_CONFIGURATION_SET = "rapport"
"""SES configuration set: bounce, complaint and delivery events go to the feedback topic."""

SNS_CONSUMERS: tuple[tuple[str, Topic], ...] = (("on_ses_feedback", SES_FEEDBACK_TOPIC),)
"""Functions subscribed to a topic (chalice handler of an ``@app.on_sns_message``)."""


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
    functions=("OnOrder", "CustomerValue", "JobSegment"),
)
LAYERS: tuple[Layer, ...] = (SCIENCE_LAYER,)

SCHEDULED_JOBS: tuple[ScheduledJob, ...] = (
    ScheduledJob(handler="deferred_mail", job="deferred-mail"),
    ScheduledJob(handler="customer_value", job="customer-value"),
    ScheduledJob(handler="co_purchases", job="co-purchases"),
)
