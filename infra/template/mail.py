"""SES (configuration set, identity) and the key and policy of the topics AWS publishes on."""

from __future__ import annotations

from typing import Any

from infra import resources


def _ses() -> dict[str, Any]:
    name = resources.SES_CONFIGURATION_SET
    return {
        "SesConfigurationSet": {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": name}},
        "SesFeedbackDestination": {
            "Type": "AWS::SES::ConfigurationSetEventDestination",
            "Properties": {
                "ConfigurationSetName": {"Ref": "SesConfigurationSet"},
                "EventDestination": {
                    "Name": "bounces-and-complaints",
                    "Enabled": True,
                    "MatchingEventTypes": ["bounce", "complaint", "delivery", "reject"],
                    "SnsDestination": {
                        "TopicARN": {"Ref": resources.SES_FEEDBACK_TOPIC.logical_id}
                    },
                },
            },
        },
        "SesSenderIdentity": {
            "Type": "AWS::SES::EmailIdentity",
            "Properties": {
                "EmailIdentity": {"Ref": "SenderDomain"},
                "ConfigurationSetAttributes": {
                    "ConfigurationSetName": {"Ref": "SesConfigurationSet"}
                },
            },
        },
    }


TOPIC_KEY = "PublishedTopicsKey"
"""The KMS key of the topics AWS services publish on: SES (the feedback topic) and
CloudWatch (the alarm topic) cannot use the AWS managed ``alias/aws/sns`` key."""


def _topic_key(topic: resources.Topic) -> Any:
    if topic in (resources.SES_FEEDBACK_TOPIC, resources.UNSUBSCRIBE_MAIL_TOPIC):
        return {"Ref": TOPIC_KEY}
    return "alias/aws/sns"


def _published_topics() -> dict[str, Any]:
    """The key SES and CloudWatch encrypt with, and SES's right to publish feedback."""
    account_root = {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
    configuration_set = {
        "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
        "configuration-set/" + resources.SES_CONFIGURATION_SET
    }
    return {**_topic_key_resource(account_root), **_feedback_topic_policy(configuration_set)}


SAME_ACCOUNT = {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def _topic_key_resource(account_root: Any) -> dict[str, Any]:
    return {
        TOPIC_KEY: {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "Description": "Encrypts the SES feedback and alarm topics",
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "Account",
                            "Effect": "Allow",
                            "Principal": {"AWS": account_root},
                            "Action": "kms:*",
                            "Resource": "*",
                        },
                        {
                            "Sid": "PublishingServices",
                            "Effect": "Allow",
                            "Principal": {
                                "Service": ["ses.amazonaws.com", "cloudwatch.amazonaws.com"]
                            },
                            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                            "Resource": "*",
                            "Condition": SAME_ACCOUNT,
                        },
                    ],
                },
            },
        },
    }


def _feedback_topic_policy(configuration_set: Any) -> dict[str, Any]:
    return {
        "SesFeedbackTopicPolicy": {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {
                "Topics": [{"Ref": resources.SES_FEEDBACK_TOPIC.logical_id}],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "SesPublishesFeedback",
                            "Effect": "Allow",
                            "Principal": {"Service": "ses.amazonaws.com"},
                            "Action": "sns:Publish",
                            "Resource": {"Ref": resources.SES_FEEDBACK_TOPIC.logical_id},
                            "Condition": {
                                **SAME_ACCOUNT,
                                "ArnLike": {"aws:SourceArn": configuration_set},
                            },
                        }
                    ],
                },
            },
        },
    }
