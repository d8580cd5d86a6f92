"""The infrastructure definitions: one source for the template, moto and the app."""

from __future__ import annotations

import ast
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import app as app_module
from chalicelib.domain.job_runs import QUEUED, JobRun
from chalicelib.services.fanout import FANOUT_JOBS
from infra import resources
from infra.build import dangling_references, references
from infra.template import merge_template


def walk_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for resource in template["Resources"].values():
        if resource.get("Type") != "AWS::IAM::Role":
            continue
        for policy in resource["Properties"]["Policies"]:
            out.extend(policy["PolicyDocument"]["Statement"])
    return out


def test_every_stream_consumer_in_infra_is_a_handler_of_the_app_and_back() -> None:
    app_sources = {
        source.name for source in app_module.app.event_sources if hasattr(source, "stream_arn")
    }
    assert app_sources == {consumer.handler for consumer in resources.STREAM_CONSUMERS}


def test_the_app_and_the_template_take_the_same_batch_of_stream_records() -> None:
    app_batches = {
        source.name: source.batch_size
        for source in app_module.app.event_sources
        if hasattr(source, "stream_arn")
    }
    template = merge_template()["Resources"]
    deployed = {}
    for consumer in resources.STREAM_CONSUMERS:
        function = "".join(p.capitalize() for p in consumer.handler.split("_"))
        [source] = template[function]["Properties"]["Events"].values()
        deployed[consumer.handler] = source["Properties"]["BatchSize"]
    assert (
        app_batches
        == deployed
        == {"on_customer": 25, "mailer": 10, "on_order": 25, "on_shipment": 50}
    )


def test_stream_event_sources_report_partial_failures_and_bound_retries() -> None:
    template = merge_template()
    for consumer in resources.STREAM_CONSUMERS:
        function = "".join(p.capitalize() for p in consumer.handler.split("_"))
        events = template["Resources"][function]["Properties"]["Events"]
        (source,) = events.values()
        props = source["Properties"]
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert props["BisectBatchOnFunctionError"] is True
        assert 0 < props["MaximumRetryAttempts"] <= 20
        assert props["Stream"] == {"Fn::GetAtt": [consumer.table, "StreamArn"]}
        assert "OnFailure" in props["DestinationConfig"]


def test_the_orders_stream_takes_several_batches_per_shard_as_the_local_pump_does() -> None:
    from local.pump import pumps_for_app

    template = merge_template()["Resources"]
    factors = {}
    for consumer in resources.STREAM_CONSUMERS:
        function = "".join(p.capitalize() for p in consumer.handler.split("_"))
        [source] = template[function]["Properties"]["Events"].values()
        factors[consumer.handler] = source["Properties"]["ParallelizationFactor"]
    assert factors == {"on_customer": 1, "mailer": 1, "on_order": 8, "on_shipment": 1}
    assert all(1 <= factor <= 10 for factor in factors.values())  # Lambda's range

    class Session:
        region_name = "us-east-1"

        def client(self, name: str) -> None:
            return None

    env = {table.stream_env: "arn" for table in resources.TABLES if table.stream_env}
    pumps = pumps_for_app(app_module.app, Session(), env)
    local = {p.name: p._settings.parallelization_factor for p in pumps}
    assert local == factors
    assert {p.name: p._settings.partition_key for p in pumps}["on_order"] == "order_id"


def test_tables_have_streams_with_both_images_and_point_in_time_recovery() -> None:
    template = merge_template()
    for table in resources.TABLES:
        props = template["Resources"][table.logical_id]["Properties"]
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
        if table.has_stream:
            assert props["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"


def test_least_privilege_no_wildcard_actions_and_named_dynamodb_and_ses_resources() -> None:
    for statement in walk_statements(merge_template()):
        actions = statement["Action"]
        assert all("*" not in action for action in actions), actions
        if any(a.startswith(("dynamodb:", "ses:")) for a in actions):
            assert "*" not in statement["Resource"]
            assert all(isinstance(r, dict) for r in statement["Resource"])


def _granted(role: dict[str, Any]) -> set[tuple[str, str]]:
    """(action, table logical id) pairs a role's policies grant on tables named by GetAtt."""
    pairs = set()
    for policy in role["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            for resource in statement["Resource"]:
                if isinstance(resource, dict) and "Fn::GetAtt" in resource:
                    pairs |= {(a, resource["Fn::GetAtt"][0]) for a in statement["Action"]}
    return pairs


def test_every_function_that_queues_mail_may_check_the_customer_is_not_erased() -> None:
    """The outbox queues a letter in a transaction whose first action is a ConditionCheck on
    the customers table: without ConditionCheckItem, AWS refuses every such letter."""
    roles = [r for r in merge_template()["Resources"].values() if r.get("Type") == "AWS::IAM::Role"]
    queuing = [
        r for r in roles if ("dynamodb:PutItem", resources.MESSAGES.logical_id) in _granted(r)
    ]
    assert queuing
    for role in queuing:
        assert ("dynamodb:ConditionCheckItem", resources.CUSTOMERS.logical_id) in _granted(role)


def test_template_references_resolve_except_chalice_resources() -> None:
    template = merge_template()
    chalice_made = {"RestAPI", "APIHandler", "OnCustomer", "Mailer", "StoreKey", "AdminKey"}
    assert set(dangling_references(template)) <= chalice_made
    assert "SesConfigurationSet" in references(template)


def test_gateway_errors_use_the_api_error_shape() -> None:
    responses = merge_template()["Resources"]["RestAPI"]["Properties"]["GatewayResponses"]
    for kind, response in responses.items():
        body = json.loads(response["ResponseTemplates"]["application/json"])
        assert set(body["error"]) == {"code", "message", "field"}, kind
        assert response["ResponseParameters"]["Headers"]["Content-Type"] == "'application/json'"
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]  # API Gateway's answer for no such path
    assert missing["StatusCode"] == 404
    assert json.loads(missing["ResponseTemplates"]["application/json"]) == {
        "error": {"code": "not_found", "message": "no such route", "field": None}
    }
    assert {responses[k]["StatusCode"] for k in ("UNAUTHORIZED", "ACCESS_DENIED")} == {401, 403}
    assert "StatusCode" not in responses["DEFAULT_5XX"]  # keeps API Gateway's 502 or 504
    assert responses["DEFAULT_5XX"]["ResponseParameters"]["Headers"]["Retry-After"] == "'5'"


def test_every_path_sends_the_methods_it_lacks_to_the_api_function_for_its_405() -> None:
    import app as app_module

    rest_api = merge_template()["Resources"]["RestAPI"]["Properties"]
    paths = rest_api["DefinitionBody"]["paths"]
    assert set(paths) == set(app_module.app.routes)
    for path, methods in paths.items():
        assert set(methods) == {"x-amazon-apigateway-any-method"}, path
        integration = methods["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"]
        assert integration["type"] == "aws_proxy"
        assert "${APIHandler.Arn}" in integration["uri"]["Fn::Sub"]


def test_each_job_function_takes_its_schedule_and_the_runs_admins_request() -> None:
    from chalicelib.adapters import job_launcher
    from chalicelib.services.jobs import JOBS

    schedules = {
        source.name
        for source in app_module.app.event_sources
        if hasattr(source, "schedule_expression")
    }
    assert {job.handler for job in resources.SCHEDULED_JOBS} == schedules
    assert {job.job for job in resources.SCHEDULED_JOBS} == set(JOBS)
    asked = datetime(2026, 11, 1, tzinfo=UTC)
    request = job_launcher.request_event(JobRun("r-1", "co-purchases", None, QUEUED, asked))
    template = merge_template()
    for job in resources.SCHEDULED_JOBS:
        function = "".join(p.capitalize() for p in job.handler.split("_"))
        [rule] = template["Resources"][function]["Properties"]["Events"].values()
        assert rule["Type"] == "EventBridgeRule"
        pattern = rule["Properties"]["Pattern"]
        assert pattern["detail"] == {"job": [job.job]}
        assert (pattern["source"], pattern["detail-type"]) == (
            [request["Source"]],
            [request["DetailType"]],
        )
    api = template["Resources"]["APIHandlerRole"]["Properties"]["Policies"][0]
    puts = [s for s in api["PolicyDocument"]["Statement"] if "events:PutEvents" in s["Action"]]
    assert len(puts) == 1 and puts[0]["Action"] == ["events:PutEvents"]
    bus = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"
    assert puts[0]["Resource"] == [{"Fn::Sub": bus}]


def test_job_invocations_are_retried_and_then_dead_lettered() -> None:
    """EventBridge retries a delivery Lambda refused; Lambda retries a failed function
    (each retry starts the run's next attempt); what fails every retry lands in a queue."""
    from chalicelib.domain.job_runs import ATTEMPTS

    template = merge_template()
    res = template["Resources"]
    queue = resources.JOB_DEAD_LETTER_QUEUE.logical_id
    dead_letters = {"Fn::GetAtt": [queue, "Arn"]}
    assert res[queue]["Type"] == "AWS::SQS::Queue"
    [allowed] = res[f"{queue}Policy"]["Properties"]["PolicyDocument"]["Statement"]
    assert allowed["Principal"] == {"Service": "events.amazonaws.com"}
    assert allowed["Action"] == "sqs:SendMessage" and allowed["Resource"] == dead_letters
    assert res[f"{queue}Alarm"]["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    for job in resources.SCHEDULED_JOBS:
        function = "".join(p.capitalize() for p in job.handler.split("_"))
        [rule] = res[function]["Properties"]["Events"].values()
        assert rule["Properties"]["RetryPolicy"]["MaximumRetryAttempts"] == 2
        assert rule["Properties"]["DeadLetterConfig"] == {"Arn": dead_letters}
        invoke = res[function]["Properties"]["EventInvokeConfig"]
        assert invoke["MaximumRetryAttempts"] == ATTEMPTS - 1
        assert invoke["DestinationConfig"]["OnFailure"]["Destination"] == dead_letters
        sends = [
            s
            for s in res[f"{function}Role"]["Properties"]["Policies"][0]["PolicyDocument"][
                "Statement"
            ]
            if s["Action"] == ["sqs:SendMessage"]
        ]
        segments = {"Fn::GetAtt": [resources.JOB_SEGMENTS_QUEUE.logical_id, "Arn"]}
        fanned_out = [[segments]] if job.job in FANOUT_JOBS else []
        assert [s["Resource"] for s in sends] == [[dead_letters], *fanned_out]
        if job.job in FANOUT_JOBS:  # its schedule requests a run, which queues the segments
            statements = res[f"{function}Role"]["Properties"]["Policies"][0]["PolicyDocument"]
            actions = {a for s in statements["Statement"] for a in s["Action"]}
            assert "events:PutEvents" in actions
            env = res[function]["Properties"]["Environment"]["Variables"]
            assert env[resources.JOB_SEGMENTS_QUEUE.env] == {
                "Ref": resources.JOB_SEGMENTS_QUEUE.logical_id
            }


def test_segment_tasks_are_read_one_at_a_time_and_dead_lettered_after_three_receives() -> None:
    res = merge_template()["Resources"]
    queue = res[resources.JOB_SEGMENTS_QUEUE.logical_id]["Properties"]
    dead_letters = {"Fn::GetAtt": [resources.JOB_DEAD_LETTER_QUEUE.logical_id, "Arn"]}
    assert queue["RedrivePolicy"] == {"deadLetterTargetArn": dead_letters, "maxReceiveCount": 3}
    assert queue["VisibilityTimeout"] > 900  # longer than the segment function may run
    [source] = res["JobSegment"]["Properties"]["Events"].values()
    assert source["Type"] == "SQS" and source["Properties"]["BatchSize"] == 1
    # chalice's source names the queue by this name's ARN; the function waits for it
    assert queue["QueueName"] == resources.JOB_SEGMENTS_QUEUE.name
    assert res["JobSegment"]["DependsOn"] == [resources.JOB_SEGMENTS_QUEUE.logical_id]
    env = res["JobSegment"]["Properties"]["Environment"]["Variables"]
    assert env[resources.JOB_SEGMENTS_QUEUE.env] == {"Ref": resources.JOB_SEGMENTS_QUEUE.logical_id}


def _queried_indexes(root: Path) -> set[str]:
    """Index names passed as ``IndexName`` (literals or module constants) under ``root``,
    and the module constants named ``*_INDEX``."""
    names: set[str] = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        names.update(str(v) for k, v in constants.items() if k.endswith("_INDEX"))
        for node in ast.walk(tree):
            values: list[ast.expr] = []
            if isinstance(node, ast.Dict):
                values = [
                    v
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value == "IndexName"
                ]
            elif isinstance(node, ast.keyword) and node.arg == "IndexName":
                values = [node.value]
            for value in values:
                if isinstance(value, ast.Constant):
                    names.add(str(value.value))
                elif isinstance(value, ast.Name) and value.id in constants:
                    names.add(str(constants[value.id]))
    return names


def test_every_provisioned_index_is_queried() -> None:
    """An index costs writes on every item: the runtime reads each (a test's query does
    not count: only what ``chalicelib/`` queries)."""
    root = Path(__file__).resolve().parents[2]
    queried = _queried_indexes(root / "chalicelib")
    declared = {index.name for table in resources.TABLES for index in table.indexes}
    assert declared - queried == set()


def _alarms_to_topic(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    alarms = {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource.get("Type") == "AWS::CloudWatch::Alarm"
    }
    for props in alarms.values():
        assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    return alarms


def test_sender_reputation_alarms_fire_before_aws_reviews_the_account() -> None:
    alarms = _alarms_to_topic(merge_template())
    ses = {
        props["MetricName"]: (props["Threshold"], props["ComparisonOperator"])
        for props in alarms.values()
        if props["Namespace"] == "AWS/SES"
    }
    assert ses == {
        "Reputation.BounceRate": (0.05, "GreaterThanThreshold"),
        "Reputation.ComplaintRate": (0.001, "GreaterThanThreshold"),
    }


def test_every_function_has_an_errors_alarm_and_the_api_a_5xx_alarm() -> None:
    template = merge_template()
    alarms = _alarms_to_topic(template)
    watched = {
        props["Dimensions"][0]["Value"]["Ref"]
        for props in alarms.values()
        if props["Namespace"] == "AWS/Lambda" and props["MetricName"] == "Errors"
    }
    functions = {
        "".join(p.capitalize() for p in source.name.split("_"))
        for source in app_module.app.event_sources
    }
    assert functions | {"APIHandler", "StoreKey", "AdminKey"} <= watched
    [api] = [p for p in alarms.values() if p["Namespace"] == "AWS/ApiGateway"]
    assert api["MetricName"] == "5XXError"
    assert api["Dimensions"] == [{"Name": "ApiName", "Value": app_module.app.app_name}]


def test_ses_feedback_reaches_its_handler_through_a_topic_ses_may_publish_on() -> None:
    template = merge_template()["Resources"]
    topic = resources.SES_FEEDBACK_TOPIC
    assert "feedback" in topic.name
    destination = template["SesFeedbackDestination"]["Properties"]["EventDestination"]
    assert destination["SnsDestination"]["TopicARN"] == {"Ref": topic.logical_id}
    assert {"bounce", "complaint", "delivery"} <= set(destination["MatchingEventTypes"])
    [subscription] = template["OnSesFeedback"]["Properties"]["Events"].values()
    assert subscription == {"Type": "SNS", "Properties": {"Topic": {"Ref": topic.logical_id}}}
    assert "on_ses_feedback" in {source.name for source in app_module.app.event_sources}
    [policy] = template["SesFeedbackTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert (policy["Principal"], policy["Action"]) == (
        {"Service": "ses.amazonaws.com"},
        "sns:Publish",
    )


def test_topics_aws_services_publish_on_use_a_key_those_services_may_use() -> None:
    template = merge_template()["Resources"]
    for name, service in (
        (resources.SES_FEEDBACK_TOPIC.logical_id, "ses.amazonaws.com"),
        ("AlarmTopic", "cloudwatch.amazonaws.com"),
    ):
        key = template[name]["Properties"]["KmsMasterKeyId"]
        assert key != "alias/aws/sns"  # the AWS managed key refuses other services
        statements = template[key["Ref"]]["Properties"]["KeyPolicy"]["Statement"]
        allowed = [s for s in statements if service in s["Principal"].get("Service", [])]
        assert allowed and "kms:GenerateDataKey*" in allowed[0]["Action"]
