"""Least-privilege IAM for each function: which actions on which resources.

No ``*`` action anywhere; DynamoDB and SES actions name their tables, indexes, streams,
identity and configuration set. Tests read the generated template and enforce it.

The statements live in area modules (building blocks, imports, the API, the stream and
topic consumers, the jobs, per function); this package re-exports every public name.
"""

from __future__ import annotations

from infra.policies.functions import function_statements, secret_read_statement
from infra.policies.imports import IMPORT_OBJECTS, IMPORTS_BUCKET_NAME
from infra.policies.statements import (
    ACTIVITY,
    CAMPAIGNS,
    CUSTOMERS,
    DEFAULT_EVENT_BUS,
    KEYS,
    MESSAGES,
    METRICS,
    ORDERS,
    PROFILE_EVENT_BUS,
    SETTINGS,
    SHIPMENTS,
    STREAM_READ,
    SUPPORT,
    TABLE_READ,
    TABLE_WRITE,
    TIMELINE,
    logs_statement,
    ses_send_statement,
    statement,
    stream_consumer_statements,
    table_arns,
)

__all__ = [
    "ACTIVITY",
    "CAMPAIGNS",
    "CUSTOMERS",
    "DEFAULT_EVENT_BUS",
    "IMPORTS_BUCKET_NAME",
    "IMPORT_OBJECTS",
    "KEYS",
    "MESSAGES",
    "METRICS",
    "ORDERS",
    "PROFILE_EVENT_BUS",
    "SETTINGS",
    "SHIPMENTS",
    "STREAM_READ",
    "SUPPORT",
    "TABLE_READ",
    "TABLE_WRITE",
    "TIMELINE",
    "function_statements",
    "logs_statement",
    "secret_read_statement",
    "ses_send_statement",
    "statement",
    "stream_consumer_statements",
    "table_arns",
]
