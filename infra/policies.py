"""Least-privilege IAM for each function: which actions on which resources.

No ``*`` action anywhere; DynamoDB and SES actions name their tables, indexes, streams,
identity and configuration set. Tests read the generated template and enforce it.
"""

from __future__ import annotations

from typing import Any

from infra import resources

STREAM_READ = [
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
]
TABLE_READ = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"]
TABLE_WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]


DEFAULT_EVENT_BUS = {
    "Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"
}


def table_arns(logical_id: str) -> list[Any]:
    """The table and its indexes."""
    return [
        {"Fn::GetAtt": [logical_id, "Arn"]},
        {"Fn::Sub": "${" + logical_id + ".Arn}/index/*"},
    ]


def statement(actions: list[str], resources_: list[Any]) -> dict[str, Any]:
    """An Allow statement."""
    return {"Effect": "Allow", "Action": sorted(set(actions)), "Resource": resources_}


def logs_statement() -> dict[str, Any]:
    """Write the function's own logs (SAM names functions ``<stack>-<LogicalId>-<suffix>``)."""
    return statement(
        ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        [
            {
                "Fn::Sub": "arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
                "/aws/lambda/${AWS::StackName}-*"
            }
        ],
    )


def stream_consumer_statements(table_logical_id: str) -> list[dict[str, Any]]:
    """Read one table's stream and report failed batches to the on-failure queue."""
    return [
        statement(STREAM_READ, [{"Fn::GetAtt": [table_logical_id, "StreamArn"]}]),
        statement(
            ["sqs:SendMessage"],
            [{"Fn::GetAtt": [resources.FAILED_RECORDS_QUEUE.logical_id, "Arn"]}],
        ),
    ]


def ses_send_statement() -> dict[str, Any]:
    """Send mail as the verified sender, through the configuration set only."""
    return statement(
        ["ses:SendEmail", "ses:SendRawEmail"],
        [
            {"Fn::Sub": "arn:aws:ses:${AWS::Region}:${AWS::AccountId}:identity/${SenderDomain}"},
            {"Fn::Sub": "arn:aws:ses:${AWS::Region}:${AWS::AccountId}:identity/${SenderAddress}"},
            {
                "Fn::Sub": "arn:aws:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/"
                + resources.SES_CONFIGURATION_SET
            },
        ],
    )


def secret_read_statement(secret: resources.Secret) -> dict[str, Any]:
    """Read one secret's value (``Ref`` of a secret is its ARN)."""
    return statement(["secretsmanager:GetSecretValue"], [{"Ref": secret.logical_id}])


def function_statements() -> dict[str, list[dict[str, Any]]]:
    """Statements per Chalice function logical id, with the secrets each one reads."""
    out = _table_statements()
    for secret in resources.SECRETS:
        for function in secret.functions:
            out[function].append(secret_read_statement(secret))
    return out


def _table_statements() -> dict[str, list[dict[str, Any]]]:
    customers = resources.CUSTOMERS.logical_id
    timeline = resources.TIMELINE.logical_id
    messages = resources.MESSAGES.logical_id
    settings = resources.SETTINGS.logical_id
    orders = resources.ORDERS.logical_id
    shipments = resources.SHIPMENTS.logical_id
    tracking_topic = resources.TRACKING_TOPIC.logical_id
    api_tables = [customers, timeline, messages, settings, orders, shipments]
    return {
        "APIHandler": [
            statement(
                TABLE_READ + TABLE_WRITE + ["dynamodb:TransactWriteItems"],
                [arn for table in api_tables for arn in table_arns(table)],
            ),
            # POST /v1/admin/jobs/{name}: the JobRequested event for the job's function.
            statement(["events:PutEvents"], [DEFAULT_EVENT_BUS]),
        ],
        "OnCustomer": [
            *stream_consumer_statements(customers),
            statement(["dynamodb:PutItem"], [{"Fn::GetAtt": [messages, "Arn"]}]),
        ],
        "Mailer": [
            *stream_consumer_statements(messages),
            statement(
                ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"],
                table_arns(messages),
            ),
            statement(["dynamodb:GetItem"], [{"Fn::GetAtt": [settings, "Arn"]}]),
            ses_send_statement(),
        ],
        # --- orders (issue 4) ---
        "OnOrder": [
            *stream_consumer_statements(orders),
            statement(
                TABLE_READ + TABLE_WRITE + ["dynamodb:TransactWriteItems"],
                [
                    arn
                    for table in (customers, timeline, messages, settings, orders)
                    for arn in table_arns(table)
                ],
            ),
        ],
        # --- shipments (issue 5) ---
        "OnShipment": [
            *stream_consumer_statements(shipments),
            statement(
                TABLE_READ + TABLE_WRITE + ["dynamodb:TransactWriteItems"],
                [
                    arn
                    for table in (shipments, customers, messages, orders, settings)
                    for arn in table_arns(table)
                ],
            ),
            statement(["sns:Publish"], [{"Ref": tracking_topic}]),
        ],
        "CustomerValue": [
            statement(["dynamodb:Scan", "dynamodb:UpdateItem"], table_arns(customers)),
            statement(
                ["dynamodb:GetItem", "dynamodb:PutItem"], [{"Fn::GetAtt": [settings, "Arn"]}]
            ),
        ],
        "CoPurchases": [
            statement(["dynamodb:Scan"], table_arns(orders)),
            statement(
                ["dynamodb:GetItem", "dynamodb:PutItem"], [{"Fn::GetAtt": [settings, "Arn"]}]
            ),
        ],
        "DeferredMail": [
            statement(["dynamodb:Query", "dynamodb:UpdateItem"], table_arns(messages)),
            statement(
                ["dynamodb:GetItem", "dynamodb:PutItem"], [{"Fn::GetAtt": [settings, "Arn"]}]
            ),
        ],
        "StoreKey": [],
        "AdminKey": [],
    }
