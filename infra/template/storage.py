"""Tables, topics, the event bus, the bucket, the failed-records queue and the secrets."""

from __future__ import annotations

from typing import Any

from infra import resources
from infra.imports_bucket import bucket_resource
from infra.provision import table_spec
from infra.template.mail import _topic_key


def _table(table: resources.Table) -> dict[str, Any]:
    spec = table_spec(table)
    spec.pop("TableName")
    if "StreamSpecification" in spec:
        spec["StreamSpecification"] = {"StreamViewType": resources.STREAM_VIEW}
    spec["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    spec["SSESpecification"] = {"SSEEnabled": True}
    spec["DeletionProtectionEnabled"] = True
    if table.ttl_attribute:
        spec["TimeToLiveSpecification"] = {"AttributeName": table.ttl_attribute, "Enabled": True}
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": spec,
    }


def _storage() -> dict[str, Any]:
    """Tables, topics and the failed-records queue."""
    res: dict[str, Any] = {}
    for table in resources.TABLES:
        res[table.logical_id] = _table(table)
    for topic in resources.TOPICS:
        res[topic.logical_id] = {
            "Type": "AWS::SNS::Topic",
            "Properties": {
                "TopicName": {"Fn::Sub": "${AWS::StackName}-" + topic.name},
                "KmsMasterKeyId": _topic_key(topic),
            },
        }
    bus = resources.PROFILE_EVENT_BUS
    res[bus.logical_id] = {
        "Type": "AWS::Events::EventBus",
        "Properties": {"Name": {"Fn::Sub": "${AWS::StackName}-" + bus.name}},
    }
    res[resources.IMPORTS_BUCKET.logical_id] = bucket_resource(resources.IMPORTS_BUCKET)
    queue = resources.FAILED_RECORDS_QUEUE
    res[queue.logical_id] = {
        "Type": "AWS::SQS::Queue",
        "Properties": {"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True},
    }
    return res


def _secrets() -> dict[str, Any]:
    return {
        secret.logical_id: {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Description": secret.description,
                "GenerateSecretString": {"PasswordLength": 48, "ExcludePunctuation": True},
            },
        }
        for secret in resources.SECRETS
    }
