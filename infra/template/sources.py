"""Event sources: job rules with their retries, campaign pages, streams and topics."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.job_runs import REQUEST_DETAIL_TYPE, REQUEST_SOURCE
from infra import resources


def _camel(handler: str) -> str:
    return "".join(part.capitalize() for part in handler.split("_"))


def _job_retries(scheduled: resources.ScheduledJob) -> dict[str, Any]:
    """A job rule's delivery retries and dead letters, and the function's invocation retries."""
    dead_letters = {"Fn::GetAtt": [resources.JOB_DEAD_LETTER_QUEUE.logical_id, "Arn"]}
    return {
        "RetryPolicy": {
            "MaximumRetryAttempts": scheduled.delivery_retries,
            "MaximumEventAgeInSeconds": scheduled.delivery_max_age_seconds,
        },
        "DeadLetterConfig": {"Arn": dead_letters},
        "EventInvokeConfig": {
            "MaximumRetryAttempts": scheduled.invocation_retries,
            "MaximumEventAgeInSeconds": scheduled.invocation_max_age_seconds,
            "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": dead_letters}},
        },
    }


def _job_rules(res: dict[str, Any]) -> None:
    """Each job's function also runs the runs admins request (an EventBridge rule)."""
    for scheduled in resources.SCHEDULED_JOBS:
        function = _camel(scheduled.handler)
        retries = _job_retries(scheduled)
        res[function]["Properties"]["EventInvokeConfig"] = retries.pop("EventInvokeConfig")
        res[function]["Properties"]["Events"] = {
            f"{function}JobRequested": {
                "Type": "EventBridgeRule",
                "Properties": {
                    "Pattern": {
                        "source": [REQUEST_SOURCE],
                        "detail-type": [REQUEST_DETAIL_TYPE],
                        "detail": {"job": [scheduled.job]},
                    },
                    **retries,
                },
            }
        }


CAMPAIGN_PAGES = "CampaignPages"


def _campaign_pages_rule(res: dict[str, Any]) -> None:
    """The campaign pages' function takes each ``CampaignPage`` event, with the jobs'
    delivery and invocation retries and dead letters."""
    from chalicelib.adapters.campaign_launcher import PAGE_DETAIL_TYPE

    retries = _job_retries(resources.ScheduledJob(handler="campaign_pages", job="campaign-pages"))
    res[CAMPAIGN_PAGES]["Properties"]["EventInvokeConfig"] = retries.pop("EventInvokeConfig")
    res[CAMPAIGN_PAGES]["Properties"]["Events"] = {
        f"{CAMPAIGN_PAGES}Requested": {
            "Type": "EventBridgeRule",
            "Properties": {
                "Pattern": {"source": [REQUEST_SOURCE], "detail-type": [PAGE_DETAIL_TYPE]},
                **retries,
            },
        }
    }


def _stream_sources(res: dict[str, Any]) -> None:
    """Stream sources with partial batch failures, bounded retries and the failure queue."""
    queue = resources.FAILED_RECORDS_QUEUE
    for consumer in resources.STREAM_CONSUMERS:
        function = _camel(consumer.handler)
        res[function]["Properties"]["Events"] = {
            f"{function}DynamodbEventSource": {
                "Properties": {
                    "Stream": {"Fn::GetAtt": [consumer.table, "StreamArn"]},
                    "BatchSize": consumer.batch_size,
                    "MaximumBatchingWindowInSeconds": consumer.maximum_batching_window_seconds,
                    "FunctionResponseTypes": ["ReportBatchItemFailures"],
                    "BisectBatchOnFunctionError": consumer.bisect_on_error,
                    "ParallelizationFactor": consumer.parallelization_factor,
                    "MaximumRetryAttempts": consumer.maximum_retry_attempts,
                    "DestinationConfig": {
                        "OnFailure": {"Destination": {"Fn::GetAtt": [queue.logical_id, "Arn"]}}
                    },
                }
            }
        }


def _sns_sources(res: dict[str, Any]) -> None:
    """Each topic handler subscribed to its topic; failed deliveries end in the queue."""
    queue = {"Fn::GetAtt": [resources.FAILED_RECORDS_QUEUE.logical_id, "Arn"]}
    for handler, topic in resources.SNS_CONSUMERS:
        function = _camel(handler)
        res[function]["Properties"]["Events"] = {
            f"{function}SnsSubscription": {
                "Type": "SNS",
                "Properties": {"Topic": {"Ref": topic.logical_id}},
            }
        }
        res[function]["Properties"]["EventInvokeConfig"] = {
            "MaximumRetryAttempts": 2,
            "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": queue}},
        }
