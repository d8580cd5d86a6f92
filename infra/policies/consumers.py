"""The stream consumers' and the SES feedback handler's statements."""

from __future__ import annotations

from typing import Any

from infra import resources
from infra.policies.statements import (
    CAMPAIGNS,
    CUSTOMERS,
    MESSAGES,
    ORDERS,
    PROFILE_EVENT_BUS,
    SETTINGS,
    SHIPMENTS,
    TABLE_READ,
    TABLE_WRITE,
    TIMELINE,
    _metrics_counting,
    _settings_read,
    _settings_read_write,
    ses_send_statement,
    statement,
    stream_consumer_statements,
    table_arns,
)


def _on_customer_statements() -> list[dict[str, Any]]:
    """The customers stream: welcome letters, counts and events, metrics, win-back."""
    return [
        *stream_consumer_statements(CUSTOMERS),
        statement(["dynamodb:PutItem"], [{"Fn::GetAtt": [MESSAGES, "Arn"]}]),
        # a letter is queued only for a customer not erased (the outbox's condition check)
        statement(["dynamodb:ConditionCheckItem"], [{"Fn::GetAtt": [CUSTOMERS, "Arn"]}]),
        # customers per class, counted once per change; the change's events on the bus
        statement(
            [
                "dynamodb:BatchGetItem",
                "dynamodb:GetItem",
                "dynamodb:UpdateItem",
                "dynamodb:TransactWriteItems",
            ],
            [{"Fn::GetAtt": [resources.COUNTS.logical_id, "Arn"]}],
        ),
        statement(["events:PutEvents"], [PROFILE_EVENT_BUS]),
        _metrics_counting(),  # signups, unsubscribes, erasures
        _settings_read(),  # the store's time zone
        # win-back: the customer's last win-back letter, the store's interval
        statement(["dynamodb:Query"], [{"Fn::GetAtt": [MESSAGES, "Arn"]}]),
        statement(["dynamodb:GetItem"], [{"Fn::GetAtt": [SETTINGS, "Arn"]}]),
    ]


def _stream_statements() -> dict[str, list[dict[str, Any]]]:
    """The stream consumers: each reads its stream and writes what its facts change."""
    return {
        "OnCustomer": _on_customer_statements(),
        "Mailer": [
            *stream_consumer_statements(MESSAGES),
            statement(
                [
                    "dynamodb:GetItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:Query",
                    "dynamodb:TransactWriteItems",
                ],
                table_arns(MESSAGES),
            ),
            _settings_read(),
            _metrics_counting(),  # mail outcomes, with the fenced outcome write
            # a campaign message's outcome counted once (with a marker on the message)
            statement(
                ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:TransactWriteItems"],
                [{"Fn::GetAtt": [CAMPAIGNS, "Arn"]}, {"Fn::GetAtt": [MESSAGES, "Arn"]}],
            ),
            statement(["dynamodb:GetItem"], [{"Fn::GetAtt": [SETTINGS, "Arn"]}]),
            ses_send_statement(),
        ],
        "OnOrder": [  # purchase items of the sku index live in the orders table
            *stream_consumer_statements(ORDERS),
            statement(  # a placed order's profile, replenishables and settings: one BatchGetItem
                TABLE_READ + TABLE_WRITE + ["dynamodb:TransactWriteItems", "dynamodb:BatchGetItem"],
                [
                    arn
                    for table in (CUSTOMERS, TIMELINE, MESSAGES, SETTINGS, ORDERS)
                    for arn in table_arns(table)
                ],
            ),
            _metrics_counting(),  # orders, returns, cancellations, refunds
        ],
        "OnShipment": [
            *stream_consumer_statements(SHIPMENTS),
            statement(
                TABLE_READ + TABLE_WRITE + ["dynamodb:TransactWriteItems"],
                [
                    arn
                    for table in (SHIPMENTS, CUSTOMERS, MESSAGES, ORDERS, SETTINGS)
                    for arn in table_arns(table)
                ],
            ),
            statement(["sns:Publish"], [{"Ref": resources.TRACKING_TOPIC.logical_id}]),
        ],
    }


def _feedback_statements() -> list[dict[str, Any]]:
    """SES feedback: find the message, record its outcome, change the address's status."""
    return [
        statement(["dynamodb:Query", "dynamodb:UpdateItem"], table_arns(MESSAGES)),
        statement(
            ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:TransactWriteItems"],
            [{"Fn::GetAtt": [CUSTOMERS, "Arn"]}],
        ),
        statement(["dynamodb:PutItem"], [{"Fn::GetAtt": [TIMELINE, "Arn"]}]),
        _settings_read_write(),
        statement(["dynamodb:TransactWriteItems"], [{"Fn::GetAtt": [SETTINGS, "Arn"]}]),
        _metrics_counting(),  # bounces, complaints, deliveries, with the notification's marker
        statement(
            ["sqs:SendMessage"],
            [{"Fn::GetAtt": [resources.FAILED_RECORDS_QUEUE.logical_id, "Arn"]}],
        ),
    ]
