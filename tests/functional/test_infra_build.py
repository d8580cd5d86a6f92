"""``make infra``: chalice package + merge template + reference check + cfn-lint."""

from __future__ import annotations

import json

from infra import build


def test_make_infra_writes_a_template_that_cfn_lint_accepts() -> None:
    assert build.main() == 0
    template = json.loads((build.BUILD / "sam.json").read_text())
    assert build.dangling_references(template) == []
    mailer = template["Resources"]["Mailer"]["Properties"]
    assert mailer["Role"] == {"Fn::GetAtt": ["MailerRole", "Arn"]}
    source = mailer["Events"]["MailerDynamodbEventSource"]["Properties"]
    assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert source["Stream"] == {"Fn::GetAtt": ["MessagesTable", "StreamArn"]}
    env = template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert env["RAPPORT_CUSTOMERS_TABLE"] == {"Ref": "CustomersTable"}
    assert (build.BUILD / "deployment.zip").stat().st_size > 1_000_000
