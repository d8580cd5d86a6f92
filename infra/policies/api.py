"""The API function's statements."""

from __future__ import annotations

from typing import Any

from infra.policies.imports import IMPORT_OBJECTS
from infra.policies.statements import (
    ACTIVITY,
    CAMPAIGNS,
    CUSTOMERS,
    DEFAULT_EVENT_BUS,
    KEYS,
    MESSAGES,
    METRICS,
    ORDERS,
    SETTINGS,
    SHIPMENTS,
    SUPPORT,
    TABLE_READ,
    TABLE_WRITE,
    TIMELINE,
    statement,
    table_arns,
)


def _api_statements() -> list[dict[str, Any]]:
    api_tables = [CUSTOMERS, TIMELINE, MESSAGES, SETTINGS, ORDERS, SHIPMENTS, SUPPORT]
    api_tables += [ACTIVITY, CAMPAIGNS]
    return [
        statement(
            TABLE_READ + TABLE_WRITE + ["dynamodb:TransactWriteItems"],
            [arn for table in api_tables for arn in table_arns(table)],
        ),
        # POST /v1/admin/jobs/{name}: the JobRequested event for the job's function.
        statement(["events:PutEvents"], [DEFAULT_EVENT_BUS]),
        # GET /v1/admin/metrics: the range's day items, 100 keys a call.
        statement(["dynamodb:BatchGetItem"], [{"Fn::GetAtt": [METRICS, "Arn"]}]),
        # /v1/admin/keys: issue (put), list (query the index), revoke (delete).
        statement(["dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem"], table_arns(KEYS)),
        # POST /v1/admin/imports, GET its rejects: the presigned links sign as this role.
        statement(["s3:PutObject", "s3:GetObject"], [IMPORT_OBJECTS]),
    ]
