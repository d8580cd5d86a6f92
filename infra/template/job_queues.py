"""The jobs' dead-letter queue and the fanned-out jobs' segment queue and source."""

from __future__ import annotations

from typing import Any

from infra import resources
from infra.template.alarms import _queue_alarm

SEGMENT_FUNCTION = "JobSegment"
SEGMENT_CONCURRENCY = 20
"""Segment tasks running at once (the SQS event source's ``MaximumConcurrency``): bounds
the job's DynamoDB throughput and Lambda concurrency (``docs/scale.md``)."""


def _job_dead_letters() -> dict[str, Any]:
    """The jobs' dead-letter queue, who may send to it, and the alarm on it."""
    queue = resources.JOB_DEAD_LETTER_QUEUE
    rules = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${AWS::StackName}-*"
    return {
        queue.logical_id: {
            "Type": "AWS::SQS::Queue",
            "Properties": {"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True},
        },
        f"{queue.logical_id}Policy": {
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {
                "Queues": [{"Ref": queue.logical_id}],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "JobRulesDeadLetters",
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                            "Resource": {"Fn::GetAtt": [queue.logical_id, "Arn"]},
                            "Condition": {"ArnLike": {"aws:SourceArn": {"Fn::Sub": rules}}},
                        }
                    ],
                },
            },
        },
        f"{queue.logical_id}Alarm": _queue_alarm(
            queue, "A job's invocation failed every retry (see the queue)"
        ),
    }


def _job_segments() -> dict[str, Any]:
    """The segment tasks' queue: a visibility timeout past the function's 15 minutes,
    server-side encryption, and the jobs' dead letters after three receives."""
    dead_letters = {"Fn::GetAtt": [resources.JOB_DEAD_LETTER_QUEUE.logical_id, "Arn"]}
    return {
        resources.JOB_SEGMENTS_QUEUE.logical_id: {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": resources.JOB_SEGMENTS_QUEUE.name,
                "VisibilityTimeout": 960,
                "MessageRetentionPeriod": 86400,
                "SqsManagedSseEnabled": True,
                "RedrivePolicy": {
                    "deadLetterTargetArn": dead_letters,
                    "maxReceiveCount": resources.SEGMENT_RECEIVES,
                },
            },
        }
    }


def _segment_source(res: dict[str, Any]) -> None:
    """The segment function reads its queue one message at a time, 20 at most at once.

    Chalice's event source names the queue by its ARN (``Fn::Sub`` of the queue's name),
    so the queue keeps that exact name and the function waits for it to exist.
    """
    res[SEGMENT_FUNCTION]["DependsOn"] = [resources.JOB_SEGMENTS_QUEUE.logical_id]
    res[SEGMENT_FUNCTION]["Properties"]["Events"] = {
        f"{SEGMENT_FUNCTION}SqsEventSource": {
            "Type": "SQS",
            "Properties": {
                "BatchSize": 1,
                "ScalingConfig": {"MaximumConcurrency": SEGMENT_CONCURRENCY},
            },
        }
    }
