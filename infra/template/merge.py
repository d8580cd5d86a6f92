"""The merge template: parameters, resources, conditions and outputs."""

from __future__ import annotations

from typing import Any

from infra import gateway, resources
from infra.imports_bucket import import_source
from infra.inbound_mail import inbound_mail
from infra.policies import function_statements
from infra.template.alarms import _alarms, _health_alarms
from infra.template.functions import _functions
from infra.template.job_queues import _job_dead_letters, _job_segments, _segment_source
from infra.template.mail import _published_topics, _ses
from infra.template.sources import _campaign_pages_rule, _job_rules, _sns_sources, _stream_sources
from infra.template.storage import _secrets, _storage


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
