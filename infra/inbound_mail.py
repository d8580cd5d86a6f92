"""SES receiving: mail to the ``unsubscribe`` address (List-Unsubscribe's mailto).

A receipt rule set with one rule: mail to ``unsubscribe@<SenderDomain>`` is scanned for
spam and viruses and published, headers and all, on the unsubscribe-mail topic, whose
handler withdraws the consent the subject's token names. Two steps stay with the
operator, as CloudFormation cannot do them: make the rule set the active one
(``aws ses set-active-receipt-rule-set --rule-set-name rapport-inbound``) and point the
domain's MX record at ``inbound-smtp.<region>.amazonaws.com`` (docs/engagement.md).
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.unsubscribe_mail import UNSUBSCRIBE_LOCAL_PART
from infra import resources

SAME_ACCOUNT = {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def inbound_mail() -> dict[str, Any]:
    """The receipt rule set, its rule, and SES's right to publish on the topic."""
    topic = {"Ref": resources.UNSUBSCRIBE_MAIL_TOPIC.logical_id}
    return {
        "SesReceiptRuleSet": {
            "Type": "AWS::SES::ReceiptRuleSet",
            "Properties": {"RuleSetName": resources.SES_RECEIPT_RULE_SET},
        },
        "SesUnsubscribeRule": {
            "Type": "AWS::SES::ReceiptRule",
            "DependsOn": "UnsubscribeMailTopicPolicy",
            "Properties": {
                "RuleSetName": {"Ref": "SesReceiptRuleSet"},
                "Rule": {
                    "Name": "unsubscribe",
                    "Enabled": True,
                    "ScanEnabled": True,
                    "TlsPolicy": "Optional",
                    "Recipients": [{"Fn::Sub": UNSUBSCRIBE_LOCAL_PART + "@${SenderDomain}"}],
                    "Actions": [{"SNSAction": {"TopicArn": topic, "Encoding": "UTF-8"}}],
                },
            },
        },
        "UnsubscribeMailTopicPolicy": {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {
                "Topics": [topic],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "SesPublishesReceivedMail",
                            "Effect": "Allow",
                            "Principal": {"Service": "ses.amazonaws.com"},
                            "Action": "sns:Publish",
                            "Resource": topic,
                            "Condition": SAME_ACCOUNT,
                        }
                    ],
                },
            },
        },
    }
