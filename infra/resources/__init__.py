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

The definitions live in area modules (kinds of resource, tables, messaging, buckets,
secrets, functions); this package re-exports every public name, so code imports
``from infra import resources`` or ``from infra.resources import X``.
"""

from __future__ import annotations

from infra.resources.buckets import (
    IMPORT_FUNCTION,
    IMPORT_UPLOAD_PREFIX,
    IMPORT_UPLOAD_SUFFIX,
    IMPORTS_BUCKET,
)
from infra.resources.customer_tables import CUSTOMERS, MESSAGES, ORDERS, SHIPMENTS, TIMELINE
from infra.resources.functions import LAYERS, SCHEDULED_JOBS, SCIENCE_LAYER
from infra.resources.kinds import (
    STREAM_VIEW,
    Bucket,
    EventBus,
    Index,
    Layer,
    Queue,
    ScheduledJob,
    Secret,
    StreamConsumer,
    Table,
    Topic,
)
from infra.resources.messaging import (
    FAILED_RECORDS_QUEUE,
    JOB_DEAD_LETTER_QUEUE,
    JOB_SEGMENTS_QUEUE,
    PROFILE_EVENT_BUS,
    QUEUES,
    SEGMENT_RECEIVES,
    SES_CONFIGURATION_SET,
    SES_FEEDBACK_TOPIC,
    SES_RECEIPT_RULE_SET,
    SNS_CONSUMERS,
    TOPICS,
    TRACKING_TOPIC,
    UNSUBSCRIBE_MAIL_TOPIC,
)
from infra.resources.secret_keys import ADMIN_KEYS_SECRET, CARRIER_SECRET, SECRETS, SIGNING_SECRET
from infra.resources.store_tables import (
    ACTIVITY,
    CAMPAIGNS,
    COUNTS,
    KEYS,
    METRICS,
    SETTINGS,
    SUPPORT,
)
from infra.resources.tables import (
    ORDER_STREAM_PARALLELIZATION,
    STREAM_CONSUMERS,
    TABLES,
    table_by_logical_id,
)

__all__ = [
    "ACTIVITY",
    "ADMIN_KEYS_SECRET",
    "Bucket",
    "CAMPAIGNS",
    "CARRIER_SECRET",
    "COUNTS",
    "CUSTOMERS",
    "EventBus",
    "FAILED_RECORDS_QUEUE",
    "IMPORTS_BUCKET",
    "IMPORT_FUNCTION",
    "IMPORT_UPLOAD_PREFIX",
    "IMPORT_UPLOAD_SUFFIX",
    "Index",
    "JOB_DEAD_LETTER_QUEUE",
    "JOB_SEGMENTS_QUEUE",
    "KEYS",
    "LAYERS",
    "Layer",
    "MESSAGES",
    "METRICS",
    "ORDERS",
    "ORDER_STREAM_PARALLELIZATION",
    "PROFILE_EVENT_BUS",
    "QUEUES",
    "Queue",
    "SCHEDULED_JOBS",
    "SCIENCE_LAYER",
    "SECRETS",
    "SEGMENT_RECEIVES",
    "SES_CONFIGURATION_SET",
    "SES_FEEDBACK_TOPIC",
    "SES_RECEIPT_RULE_SET",
    "SETTINGS",
    "SHIPMENTS",
    "SIGNING_SECRET",
    "SNS_CONSUMERS",
    "STREAM_CONSUMERS",
    "STREAM_VIEW",
    "SUPPORT",
    "ScheduledJob",
    "Secret",
    "StreamConsumer",
    "TABLES",
    "TIMELINE",
    "TOPICS",
    "TRACKING_TOPIC",
    "Table",
    "Topic",
    "UNSUBSCRIBE_MAIL_TOPIC",
    "table_by_logical_id",
]
