"""The CloudFormation merge template that completes Chalice's generated SAM template.

``chalice package`` emits the functions, the REST API and the event sources; this
module adds everything else from :mod:`infra.resources` (tables, topics, queue, SES,
secrets, alarms, roles) and fixes what Chalice leaves out: stream ARNs as
``Fn::GetAtt``, ``FunctionResponseTypes: [ReportBatchItemFailures]``, bisect on error,
bounded retries, the on-failure destination, per-function least-privilege roles,
environment variables, and gateway responses in the API's error shape.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.job_runs import REQUEST_DETAIL_TYPE, REQUEST_SOURCE
from infra import gateway, layer, resources
from infra.imports_bucket import bucket_resource, import_source
from infra.inbound_mail import inbound_mail
from infra.policies import IMPORTS_BUCKET_NAME, function_statements, logs_statement
from infra.provision import table_spec

SEGMENT_SENDERS = ("CustomerValue", "CoPurchases", "JobSegment")
"""The functions that queue a fanned-out job's segment tasks."""
SEGMENT_FUNCTION = "JobSegment"
SEGMENT_CONCURRENCY = 20
"""Segment tasks running at once (the SQS event source's ``MaximumConcurrency``): bounds
the job's DynamoDB throughput and Lambda concurrency (``docs/scale.md``)."""

API_NAME = "rapport"
"""The REST API's name: Chalice titles its OpenAPI body with the app's name."""


def _camel(handler: str) -> str:
    return "".join(part.capitalize() for part in handler.split("_"))


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


def _environment(function: str) -> dict[str, Any]:
    variables: dict[str, Any] = {
        "POWERTOOLS_SERVICE_NAME": "rapport",
        "POWERTOOLS_METRICS_NAMESPACE": "Rapport",
        "RAPPORT_MAIL_FROM": {"Ref": "SenderAddress"},
        "RAPPORT_SES_CONFIGURATION_SET": resources.SES_CONFIGURATION_SET,
        "RAPPORT_STORE_KEY_SHA256": {"Ref": "StoreKeyHashes"},
        "RAPPORT_ADMIN_KEY_SHA256": {"Ref": "AdminKeyHashes"},
        "RAPPORT_PUBLIC_BASE_URL": {
            "Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.amazonaws.com/api"
        },
    }
    for table in resources.TABLES:
        variables[table.env] = {"Ref": table.logical_id}
    for topic in resources.TOPICS:
        variables[topic.env] = {"Ref": topic.logical_id}
    variables[resources.PROFILE_EVENT_BUS.env] = {"Ref": resources.PROFILE_EVENT_BUS.logical_id}
    variables[resources.IMPORTS_BUCKET.env] = IMPORTS_BUCKET_NAME
    if function in SEGMENT_SENDERS:
        variables[resources.JOB_SEGMENTS_QUEUE.env] = {
            "Ref": resources.JOB_SEGMENTS_QUEUE.logical_id
        }
    for secret in resources.SECRETS:
        if function in secret.functions:
            variables[secret.env] = {"Ref": secret.logical_id}  # the ARN, never the value
    return {"Variables": variables}


def _role(function: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": f"{function}LeastPrivilege",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [logs_statement(), *statements],
                    },
                }
            ],
        },
    }


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


def _parameters() -> dict[str, Any]:
    return {
        "SenderAddress": {
            "Type": "String",
            "Description": "From address of every mail, in SenderDomain",
        },
        "SenderDomain": {"Type": "String", "Description": "Domain verified in SES (DKIM)"},
        "StoreKeyHashes": {
            "Type": "String",
            "NoEcho": True,
            "Description": "Comma-separated SHA-256 hex digests of store keys",
        },
        "AdminKeyHashes": {
            "Type": "String",
            "NoEcho": True,
            "Description": "Comma-separated SHA-256 hex digests of admin keys",
        },
        "AlarmEmail": {
            "Type": "String",
            "Default": "",
            "Description": "Where alarms are mailed (optional)",
        },
    }


def _outputs() -> dict[str, Any]:
    return {
        "ApiUrl": {
            "Value": {"Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.amazonaws.com/api"}
        },
        "TrackingTopicArn": {"Value": {"Ref": resources.TRACKING_TOPIC.logical_id}},
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


def _functions() -> dict[str, Any]:
    """Each function's least-privilege role, environment and layers."""
    res: dict[str, Any] = {}
    for function, statements in function_statements().items():
        role_id = f"{function}Role"
        res[role_id] = _role(function, statements)
        res[function] = {
            "Properties": {
                "Role": {"Fn::GetAtt": [role_id, "Arn"]},
                "Environment": _environment(function),
            }
        }
    for science in resources.LAYERS:
        res[science.logical_id] = layer.template_resource(science)
        for function in science.functions:
            layers = res[function]["Properties"].setdefault("Layers", [])
            layers.append({"Ref": science.logical_id})
    return res


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


def merge_template() -> dict[str, Any]:
    """The template merged into Chalice's output by ``chalice package --merge-template``."""
    res: dict[str, Any] = {
        **_storage(),
        **_secrets(),
        **_ses(),
        **inbound_mail(),
        **_published_topics(),
        **_alarms(),
        **_job_dead_letters(),
        **_job_segments(),
        **_functions(),
    }
    res.update(_health_alarms(sorted(function_statements())))
    _job_rules(res)
    _campaign_pages_rule(res)
    _stream_sources(res)
    _sns_sources(res)
    import_source(res)
    _segment_source(res)
    res["RestAPI"] = gateway.rest_api()
    return {
        "Parameters": _parameters(),
        "Conditions": {"HasAlarmEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}},
        "Resources": res,
        "Outputs": _outputs(),
    }
