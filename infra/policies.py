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


PROFILE_EVENT_BUS = {"Fn::GetAtt": [resources.PROFILE_EVENT_BUS.logical_id, "Arn"]}


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


CUSTOMERS = resources.CUSTOMERS.logical_id
TIMELINE = resources.TIMELINE.logical_id
MESSAGES = resources.MESSAGES.logical_id
SETTINGS = resources.SETTINGS.logical_id
ORDERS = resources.ORDERS.logical_id
SHIPMENTS = resources.SHIPMENTS.logical_id
SUPPORT = resources.SUPPORT.logical_id
KEYS = resources.KEYS.logical_id
METRICS = resources.METRICS.logical_id


def _metrics_counting() -> dict[str, Any]:
    """Add a fact's counts to its day (and put a per-fact marker), in its transaction."""
    return statement(
        ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:TransactWriteItems"],
        [{"Fn::GetAtt": [METRICS, "Arn"]}],
    )


ACTIVITY = resources.ACTIVITY.logical_id

CAMPAIGNS = resources.CAMPAIGNS.logical_id


IMPORTS_BUCKET_NAME = {
    "Fn::Sub": "${AWS::StackName}-" + resources.IMPORTS_BUCKET.name + "-${AWS::AccountId}"
}
"""The imports bucket's name, built (not ``Ref``): its notification targets a function
whose environment and role name the bucket, which a ``Ref`` would make circular."""
IMPORT_OBJECTS = {
    "Fn::Sub": "arn:${AWS::Partition}:s3:::${AWS::StackName}-"
    + resources.IMPORTS_BUCKET.name
    + "-${AWS::AccountId}/"
    + resources.IMPORT_UPLOAD_PREFIX
    + "*"
}


def _import_statements() -> list[dict[str, Any]]:
    """The import: read the upload, write the rejects, batch-write the history."""
    return [
        statement(["s3:GetObject", "s3:PutObject"], [IMPORT_OBJECTS]),
        statement(
            [
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:TransactWriteItems",
                *TABLE_READ,
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
            ],
            [{"Fn::GetAtt": [t, "Arn"]} for t in (CUSTOMERS, TIMELINE, ORDERS, SETTINGS)],
        ),
    ]


def _settings_read_write() -> dict[str, Any]:
    return statement(["dynamodb:GetItem", "dynamodb:PutItem"], [{"Fn::GetAtt": [SETTINGS, "Arn"]}])


def _settings_read() -> dict[str, Any]:
    return statement(["dynamodb:GetItem"], [{"Fn::GetAtt": [SETTINGS, "Arn"]}])


def _job_dead_letters() -> dict[str, Any]:
    """Lambda's on-failure destination for a job's last attempt."""
    queue = resources.JOB_DEAD_LETTER_QUEUE.logical_id
    return statement(["sqs:SendMessage"], [{"Fn::GetAtt": [queue, "Arn"]}])


def _send_segments() -> dict[str, Any]:
    """Queue a fanned-out job's segment tasks."""
    queue = resources.JOB_SEGMENTS_QUEUE.logical_id
    return statement(["sqs:SendMessage"], [{"Fn::GetAtt": [queue, "Arn"]}])


def _request_run() -> dict[str, Any]:
    """A fanned-out job's schedule requests a run (the ``JobRequested`` event)."""
    return statement(["events:PutEvents"], [DEFAULT_EVENT_BUS])


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


def _on_customer_statements() -> list[dict[str, Any]]:
    """The customers stream: welcome letters, counts and events, metrics, win-back."""
    return [
        *stream_consumer_statements(CUSTOMERS),
        statement(["dynamodb:PutItem"], [{"Fn::GetAtt": [MESSAGES, "Arn"]}]),
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
            statement(
                TABLE_READ + TABLE_WRITE + ["dynamodb:TransactWriteItems"],
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
        statement(
            ["dynamodb:GetItem", "dynamodb:ConditionCheckItem"],
            [{"Fn::GetAtt": [CUSTOMERS, "Arn"]}],
        ),
        statement(
            ["dynamodb:PutItem", "dynamodb:TransactWriteItems"], [{"Fn::GetAtt": [MESSAGES, "Arn"]}]
        ),
        statement(["events:PutEvents"], [DEFAULT_EVENT_BUS]),
        _job_dead_letters(),
    ]


def secret_read_statement(secret: resources.Secret) -> dict[str, Any]:
    """Read one secret's value (``Ref`` of a secret is its ARN)."""
    return statement(["secretsmanager:GetSecretValue"], [{"Ref": secret.logical_id}])


def function_statements() -> dict[str, list[dict[str, Any]]]:
    """Statements per Chalice function logical id, with the secrets each one reads."""
    out = {
        "APIHandler": _api_statements(),
        **_stream_statements(),
        **_job_statements(),
        "OnSesFeedback": _feedback_statements(),
        # Unsubscribe by mail: the consent withdrawn, a version kept (as the one-click POST)
        "OnUnsubscribeMail": [
            statement(
                ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:TransactWriteItems"],
                [{"Fn::GetAtt": [CUSTOMERS, "Arn"]}],
            ),
            statement(["dynamodb:PutItem"], [{"Fn::GetAtt": [TIMELINE, "Arn"]}]),
        ],
        resources.IMPORT_FUNCTION: _import_statements(),
        "StoreKey": [],
        # The admin authorizer reads an issued key and records its use (at most hourly).
        "AdminKey": [
            statement(["dynamodb:GetItem", "dynamodb:UpdateItem"], [{"Fn::GetAtt": [KEYS, "Arn"]}])
        ],
    }
    for secret in resources.SECRETS:
        for function in secret.functions:
            out[function].append(secret_read_statement(secret))
    return out
