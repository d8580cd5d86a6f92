"""The alarm topic and the alarms: queues, sender reputation, functions, the API."""

from __future__ import annotations

from typing import Any

from infra import resources
from infra.template.mail import TOPIC_KEY

API_NAME = "rapport"
"""The REST API's name: Chalice titles its OpenAPI body with the app's name."""


def _queue_alarm(queue: resources.Queue, description: str) -> dict[str, Any]:
    """An alarm to the alarm topic as soon as a message waits in ``queue``."""
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            "Namespace": "AWS/SQS",
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Dimensions": [
                {"Name": "QueueName", "Value": {"Fn::GetAtt": [queue.logical_id, "QueueName"]}}
            ],
            "Statistic": "Maximum",
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
        },
    }


def _alarms() -> dict[str, Any]:
    """The alarm topic (mailed when ``AlarmEmail`` is set) and the failed-records alarm."""
    queue = resources.FAILED_RECORDS_QUEUE
    return {
        "AlarmTopic": {
            "Type": "AWS::SNS::Topic",
            "Properties": {"KmsMasterKeyId": {"Ref": TOPIC_KEY}},
        },
        "AlarmSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasAlarmEmail",
            "Properties": {
                "TopicArn": {"Ref": "AlarmTopic"},
                "Protocol": "email",
                "Endpoint": {"Ref": "AlarmEmail"},
            },
        },
        "FailedRecordsAlarm": _queue_alarm(
            queue, "Stream records gave up after all retries (see the queue)"
        ),
    }


REPUTATION_ALARMS = (
    # AWS reviews an account at a 5% bounce rate or a 0.1% complaint rate.
    ("SesBounceRateAlarm", "Reputation.BounceRate", 0.05, "SES bounce rate above 5%"),
    ("SesComplaintRateAlarm", "Reputation.ComplaintRate", 0.001, "SES complaint rate above 0.1%"),
)


def _alarm(description: str, metric: dict[str, Any], threshold: float) -> dict[str, Any]:
    """An alarm to the alarm topic when ``metric`` goes above ``threshold``."""
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            **metric,
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": threshold,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
        },
    }


def _health_alarms(functions: list[str]) -> dict[str, Any]:
    """Sender reputation (SES), errors of each function and the API's 5xx answers."""
    res: dict[str, Any] = {
        logical_id: _alarm(
            description,
            {"Namespace": "AWS/SES", "MetricName": metric, "Statistic": "Maximum"},
            threshold,
        )
        for logical_id, metric, threshold, description in REPUTATION_ALARMS
    }
    for function in functions:
        res[f"{function}ErrorsAlarm"] = _alarm(
            f"{function} failed an invocation",
            {
                "Namespace": "AWS/Lambda",
                "MetricName": "Errors",
                "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": function}}],
                "Statistic": "Sum",
            },
            0,
        )
    res["Api5xxAlarm"] = _alarm(
        "The API answered 5xx",
        {
            "Namespace": "AWS/ApiGateway",
            "MetricName": "5XXError",
            "Dimensions": [{"Name": "ApiName", "Value": API_NAME}],
            "Statistic": "Sum",
        },
        0,
    )
    return res
