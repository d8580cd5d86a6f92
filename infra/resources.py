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

from chalicelib.adapters.activity_repository import OPEN_CARTS_INDEX
from chalicelib.adapters.admin_keys_store import LISTING_INDEX
from chalicelib.adapters.campaigns_store import DUE_INDEX as CAMPAIGNS_DUE_INDEX
from chalicelib.adapters.campaigns_store import LISTING_INDEX as CAMPAIGNS_LISTING_INDEX
from chalicelib.adapters.customer_lists import (
    EMAIL_SEARCH_INDEX,
    NAME_SEARCH_INDEX,
    SIGNED_UP_INDEX,
    TIER_INDEX,
    TOP_CLV_INDEX,
    TOP_SPEND_INDEX,
)
from chalicelib.adapters.customer_records import MESSAGES_BY_CUSTOMER_INDEX
from chalicelib.adapters.customer_value_store import LOYALTY_INDEX, SEGMENT_INDEX
from chalicelib.adapters.customers_repository import TIMELINE_INDEX
from chalicelib.adapters.feedback_store import PROVIDER_INDEX
from chalicelib.adapters.job_runs_store import RUNS_INDEX
from chalicelib.adapters.metrics_store import DAY_KEY as METRICS_DAY_KEY
from chalicelib.adapters.occasion_index import (
    ANNIVERSARY_INDEX,
    ANNIVERSARY_KEY,
    BIRTHDAY_INDEX,
    BIRTHDAY_KEY,
    OCCASION_INDEX,
    OCCASION_KEY,
)
from chalicelib.adapters.orders_repository import CUSTOMER_ORDERS_INDEX
from chalicelib.adapters.outbox import STATUS_INDEX
from chalicelib.adapters.purchases import SKU_BUYERS_INDEX
from chalicelib.adapters.replenishment_store import REPLENISH_DUE_INDEX
from chalicelib.adapters.reviews_repository import COUPON_INDEX
from chalicelib.adapters.shipments_repository import CUSTOMER_PARCELS_INDEX, ORDER_INDEX
from chalicelib.adapters.support_repository import (
    CUSTOMER_OPENED_INDEX,
    OPEN_DUE_INDEX,
    STATUS_OPENED_INDEX,
)
from chalicelib.adapters.survey_audience import PLACED_MONTH_INDEX
from chalicelib.adapters.unreachable_list import UNREACHABLE_INDEX
from chalicelib.config import (
    CARRIER_SECRET_VARIABLE,
    IMPORTS_BUCKET_VARIABLE,
    SEGMENTS_QUEUE_VARIABLE,
    SIGNING_SECRET_VARIABLE,
)
from chalicelib.domain.imports import KEY_PREFIX, UPLOAD_NAME
from chalicelib.handlers.batch_sizes import BATCH_SIZES
from chalicelib.handlers.batch_sizes import JOB_SEGMENTS_QUEUE as SEGMENTS_QUEUE_NAME
from chalicelib.handlers.topics import SES_FEEDBACK_TOPIC as FEEDBACK_TOPIC_NAME
from chalicelib.handlers.topics import UNSUBSCRIBE_MAIL_TOPIC as UNSUBSCRIBE_TOPIC_NAME

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
        BIRTHDAY_KEY: "S",
        ANNIVERSARY_KEY: "S",
        OCCASION_KEY: "S",
        "tier_key": "S",
        "spent_12m": "N",
        "record_type": "S",
        "created_at": "S",
        "name_search": "S",
        "email": "S",
    },
    # Only the indexes the runtime queries.
    indexes=(
        Index(SEGMENT_INDEX, "segment_key", "clv_value"),
        Index(LOYALTY_INDEX, "loyalty", "customer_id"),
        # GET /v1/admin/customers?reachable=false (sparse: only unreachable profiles)
        Index(UNREACHABLE_INDEX, "unreachable_key", "customer_id"),
        # the engagement job: the customers of a day, by month-day or learned month
        Index(BIRTHDAY_INDEX, BIRTHDAY_KEY, "customer_id"),
        Index(ANNIVERSARY_INDEX, ANNIVERSARY_KEY, "customer_id"),
        Index(OCCASION_INDEX, OCCASION_KEY, "customer_id"),
        # GET /v1/admin/customers?tier=, ?top=, ?signed_up_from=, ?q= (docs/admin-lists.md):
        # the last five have one partition, record_type "profile" (email guards, erased
        # records and suppressions are not in them).
        Index(TIER_INDEX, "tier_key", "spent_12m"),
        Index(TOP_CLV_INDEX, "record_type", "clv_value"),
        Index(TOP_SPEND_INDEX, "record_type", "spent_12m"),
        Index(SIGNED_UP_INDEX, "record_type", "created_at"),
        Index(NAME_SEARCH_INDEX, "record_type", "name_search"),
        Index(EMAIL_SEARCH_INDEX, "record_type", "email"),
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
    attributes={"customer_id": "S", "entry_key": "S", "at": "S", "replenish_due": "S"},
    indexes=(
        Index(TIMELINE_INDEX, "customer_id", "at"),
        # the replenishment job's due days (sparse: only purchases with a reminder due)
        Index(REPLENISH_DUE_INDEX, "replenish_due", "customer_id", projection="KEYS_ONLY"),
    ),
    holds_customer_data=True,
)
"""Every fact has ``at`` (UTC ISO text): the admin timeline reads it newest first. The
replenishable purchases (``replenish#<sku>``) are state, not facts: they have no ``at``."""

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
        Index(MESSAGES_BY_CUSTOMER_INDEX, "customer_id", "created_at"),  # the admin's log
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
        "coupon_code": "S",
        "placed_month": "S",
        "purchase_sku": "S",
    },
    indexes=(
        Index(CUSTOMER_ORDERS_INDEX, "customer_id", "placed_at"),
        # orders by the UTC month they were placed: the monthly survey's recent buyers
        Index(PLACED_MONTH_INDEX, "placed_month", "placed_at"),
        # review coupons by code (sparse: only coupon items carry one)
        Index(COUPON_INDEX, "coupon_code", projection="KEYS_ONLY"),
        # a sku's buyers for product-update campaigns (sparse: purchases not withdrawn)
        Index(SKU_BUYERS_INDEX, "purchase_sku", "customer_id"),
    ),
    stream_env="RAPPORT_ORDERS_STREAM_ARN",
    holds_customer_data=True,
)
"""Orders (``record = "order"``), their returns (``record = "return#<return_id>"``) and
their purchase items (``record = "purchase#<sku>"``, the ``sku-buyers`` index)."""

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
    attributes={"setting_id": "S", "job_name": "S", "requested_at": "S"},
    indexes=(Index(RUNS_INDEX, "job_name", "requested_at"),),  # GET /v1/admin/jobs/{name}/runs
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

COUNTS = Table(
    logical_id="CountsTable",
    name="rapport-counts",
    env="RAPPORT_COUNTS_TABLE",
    hash_key="counter_id",
    attributes={"counter_id": "S"},
    # Sharded counters of customers per class, and per customer the stream sequence number
    # of the last change counted: an id and a number, no personal data (erasure leaves the
    # marker so a replayed erasure record is not counted twice).
    holds_customer_data=False,
)
METRICS = Table(
    logical_id="MetricsTable",
    name="rapport-metrics",
    env="RAPPORT_METRICS_TABLE",
    holds_customer_data=False,
    hash_key=METRICS_DAY_KEY,
    attributes={METRICS_DAY_KEY: "S"},
    ttl_attribute="expires_at",  # the per-fact markers expire; day items never do
)
"""The store's daily counters, one item per store day (``docs/metrics.md``), and
per-fact markers (``fact#<sha256 of the fact key>``, kept a week). No personal data:
counts, and hashes of fact keys that expire."""

ACTIVITY = Table(
    logical_id="ActivityTable",
    name="rapport-activity",
    env="RAPPORT_ACTIVITY_TABLE",
    hash_key="customer_id",
    range_key="record",
    attributes={"customer_id": "S", "record": "S", "cart_due": "S", "idle_since": "S"},
    # The cart-reminders job reads the open carts idle long enough (sparse: open carts only)
    indexes=(Index(OPEN_CARTS_INDEX, "cart_due", "idle_since"),),
    holds_customer_data=True,
)
"""A customer's shop activity: events (``event#<id>``), the cart (``cart``) and product
views (``view#<sku>``). Holds customer data: what a person looked at and put in a cart."""

CAMPAIGNS = Table(
    logical_id="CampaignsTable",
    name="rapport-campaigns",
    env="RAPPORT_CAMPAIGNS_TABLE",
    holds_customer_data=False,
    hash_key="campaign_id",
    attributes={
        "campaign_id": "S",
        "listing": "S",
        "created_at": "S",
        "due_key": "S",
        "send_at": "S",
    },
    indexes=(
        Index(CAMPAIGNS_LISTING_INDEX, "listing", "created_at"),
        Index(CAMPAIGNS_DUE_INDEX, "due_key", "send_at"),
    ),
)
"""Product-update campaigns: the admin's request, the fan-out's progress and the counts
of its messages. No personal data (the messages, in the messages table, name the
recipients; the counted-transition markers live on those message items)."""

TABLES: tuple[Table, ...] = (
    CUSTOMERS,
    TIMELINE,
    MESSAGES,
    SETTINGS,
    ORDERS,
    SHIPMENTS,
    SUPPORT,
    KEYS,
    COUNTS,
    METRICS,
    ACTIVITY,
    CAMPAIGNS,
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
UNSUBSCRIBE_MAIL_TOPIC = Topic(
    "UnsubscribeMailTopic", UNSUBSCRIBE_TOPIC_NAME, "RAPPORT_UNSUBSCRIBE_MAIL_TOPIC_ARN"
)
"""Mail SES receives for the ``unsubscribe`` address (the receipt rule's SNS action),
read by the ``on_unsubscribe_mail`` handler."""
TOPICS: tuple[Topic, ...] = (TRACKING_TOPIC, SES_FEEDBACK_TOPIC, UNSUBSCRIBE_MAIL_TOPIC)

PROFILE_EVENT_BUS = EventBus("ProfileEventBus", "rapport", "RAPPORT_EVENT_BUS")
"""``Rapport.*`` events of profile changes (docs/events.md), put by ``on_customer``."""

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

IMPORTS_BUCKET = Bucket(
    logical_id="ImportsBucket",
    name="rapport-imports",
    env=IMPORTS_BUCKET_VARIABLE,
    expire_days=7,
    holds_customer_data=True,
)
"""Uploaded import files (``imports/<id>/upload``) and their rejects: customers' data,
so they expire after a week (the import has copied what it keeps into the tables)."""
IMPORT_FUNCTION = "OnImportUpload"
"""The function the bucket's ``ObjectCreated`` events invoke (chalice ``on_import_upload``)."""
IMPORT_UPLOAD_PREFIX = KEY_PREFIX
IMPORT_UPLOAD_SUFFIX = "/" + UPLOAD_NAME

SIGNING_SECRET = Secret(
    logical_id="SigningSecret",
    name="rapport-signing",
    env=SIGNING_SECRET_VARIABLE,
    description="HMAC key for Rapport's signed public links",
    # The API verifies links; the mailer and the shipments stream write them into mail.
    functions=("APIHandler", "Mailer", "OnShipment", "OnUnsubscribeMail"),
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
SES_RECEIPT_RULE_SET = "rapport-inbound"
"""SES receipt rules: mail to the ``unsubscribe`` address goes to its topic."""
"""SES configuration set: bounce, complaint and delivery events go to the feedback topic."""

SNS_CONSUMERS: tuple[tuple[str, Topic], ...] = (
    ("on_ses_feedback", SES_FEEDBACK_TOPIC),
    ("on_unsubscribe_mail", UNSUBSCRIBE_MAIL_TOPIC),
)
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
    # (tests/functional/test_functions_without_numpy.py). The import function rescores
    # each customer whose history it folds, as the orders stream does; the segment
    # function summarizes, fits and rescores a fanned-out nightly job's segments.
    functions=("OnOrder", "CustomerValue", IMPORT_FUNCTION, "JobSegment"),
)
LAYERS: tuple[Layer, ...] = (SCIENCE_LAYER,)

SCHEDULED_JOBS: tuple[ScheduledJob, ...] = (
    ScheduledJob(handler="deferred_mail", job="deferred-mail"),
    ScheduledJob(handler="customer_value", job="customer-value"),
    ScheduledJob(handler="co_purchases", job="co-purchases"),
    ScheduledJob(handler="replenishment", job="replenishment"),
    ScheduledJob(handler="engagement", job="engagement"),
    ScheduledJob(handler="cart_reminders", job="cart-reminders"),
    ScheduledJob(handler="satisfaction_surveys", job="satisfaction-surveys"),
    ScheduledJob(handler="campaigns_due", job="campaigns"),
)
