"""The building blocks of the policies: action lists, ARNs, shared statements."""

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
