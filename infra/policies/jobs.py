"""The scheduled jobs' and the campaign pages' statements."""

from __future__ import annotations

from typing import Any

from infra import resources
from infra.policies.statements import (
    ACTIVITY,
    CAMPAIGNS,
    CUSTOMERS,
    DEFAULT_EVENT_BUS,
    MESSAGES,
    ORDERS,
    SETTINGS,
    TIMELINE,
    _job_dead_letters,
    _request_run,
    _send_segments,
    _settings_read_write,
    statement,
    table_arns,
)


def _job_statements() -> dict[str, list[dict[str, Any]]]:
    """The scheduled jobs: what each reads and writes, and their settings documents."""
    return {
        "CustomerValue": [
            statement(
                ["dynamodb:Scan", "dynamodb:UpdateItem", "dynamodb:DescribeTable"],
                table_arns(CUSTOMERS),
            ),
            _settings_read_write(),
            _job_dead_letters(),
            _send_segments(),
            _request_run(),
        ],
        # One scan segment of a fanned-out job: read (customers: rescore; orders: count),
        # its part and counter, the settings documents.
        "JobSegment": [
            statement(["dynamodb:Scan", "dynamodb:UpdateItem"], table_arns(CUSTOMERS)),
            statement(["dynamodb:Scan"], table_arns(ORDERS)),
            statement(
                ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                [{"Fn::GetAtt": [SETTINGS, "Arn"]}],
            ),
            _send_segments(),
            statement(
                ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                [{"Fn::GetAtt": [resources.JOB_SEGMENTS_QUEUE.logical_id, "Arn"]}],
            ),
        ],
        # Fans out: plans the segments from the orders' item count, queues them.
        "CoPurchases": [
            statement(["dynamodb:DescribeTable"], [{"Fn::GetAtt": [ORDERS, "Arn"]}]),
            _settings_read_write(),
            _job_dead_letters(),
            _send_segments(),
            _request_run(),
        ],
        "SatisfactionSurveys": [
            statement(["dynamodb:Query"], table_arns(ORDERS)),
            statement(["dynamodb:GetItem", "dynamodb:ConditionCheckItem"], table_arns(CUSTOMERS)),
            statement(
                ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:TransactWriteItems"],
                table_arns(MESSAGES),
            ),
            _settings_read_write(),
            _job_dead_letters(),
        ],
        "CampaignsDue": [
            statement(["dynamodb:Query", "dynamodb:UpdateItem"], table_arns(CAMPAIGNS)),
            statement(["events:PutEvents"], [DEFAULT_EVENT_BUS]),
            _settings_read_write(),
            _job_dead_letters(),
        ],
        "CampaignPages": _campaign_page_statements(),
        "DeferredMail": [
            statement(["dynamodb:Query", "dynamodb:UpdateItem"], table_arns(MESSAGES)),
            _settings_read_write(),
            _job_dead_letters(),
        ],
        **_engagement_job_statements(),
    }


def _engagement_job_statements() -> dict[str, list[dict[str, Any]]]:
    """The jobs that write to customers: carts, replenishment, occasions."""
    return {
        "CartReminders": [
            statement(["dynamodb:Query", "dynamodb:PutItem"], table_arns(ACTIVITY)),
            # profiles read; the outbox's put checks the customer is not erased
            statement(
                ["dynamodb:GetItem", "dynamodb:ConditionCheckItem"],
                [{"Fn::GetAtt": [CUSTOMERS, "Arn"]}],
            ),
            statement(["dynamodb:Query"], table_arns(ORDERS)),
            statement(
                ["dynamodb:PutItem", "dynamodb:TransactWriteItems"],
                [{"Fn::GetAtt": [MESSAGES, "Arn"]}],
            ),
            _settings_read_write(),
            _job_dead_letters(),
        ],
        "Replenishment": [
            statement(
                ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem"], table_arns(TIMELINE)
            ),
            statement(
                ["dynamodb:GetItem", "dynamodb:ConditionCheckItem"],
                [{"Fn::GetAtt": [CUSTOMERS, "Arn"]}],
            ),
            statement(
                ["dynamodb:PutItem", "dynamodb:TransactWriteItems"],
                [{"Fn::GetAtt": [MESSAGES, "Arn"]}],
            ),
            _settings_read_write(),
            _job_dead_letters(),
        ],
        # The day's customers through the month-day indexes (never a Scan), their next
        # learned occasion, and mail queued in the outbox if they are not erased.
        "Engagement": [
            statement(
                ["dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"],
                table_arns(CUSTOMERS),
            ),
            statement(
                ["dynamodb:PutItem", "dynamodb:TransactWriteItems"],
                [{"Fn::GetAtt": [MESSAGES, "Arn"]}],
            ),
            _settings_read_write(),
            _job_dead_letters(),
        ],
    }


def _campaign_page_statements() -> list[dict[str, Any]]:
    """A fan-out page: read the sku index and profiles, queue messages, ask for the next."""
    return [
        statement(
            ["dynamodb:GetItem", "dynamodb:UpdateItem"], [{"Fn::GetAtt": [CAMPAIGNS, "Arn"]}]
        ),
        statement(["dynamodb:Query"], table_arns(ORDERS)),
        statement(  # the page's profiles, 100 keys a BatchGetItem
            ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem"],
            [{"Fn::GetAtt": [CUSTOMERS, "Arn"]}],
        ),
        statement(
            ["dynamodb:PutItem", "dynamodb:TransactWriteItems"], [{"Fn::GetAtt": [MESSAGES, "Arn"]}]
        ),
        statement(["events:PutEvents"], [DEFAULT_EVENT_BUS]),
        _job_dead_letters(),
    ]
