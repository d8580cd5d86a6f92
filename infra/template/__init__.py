"""The CloudFormation merge template that completes Chalice's generated SAM template.

``chalice package`` emits the functions, the REST API and the event sources; this
module adds everything else from :mod:`infra.resources` (tables, topics, queue, SES,
secrets, alarms, roles) and fixes what Chalice leaves out: stream ARNs as
``Fn::GetAtt``, ``FunctionResponseTypes: [ReportBatchItemFailures]``, bisect on error,
bounded retries, the on-failure destination, per-function least-privilege roles,
environment variables, and gateway responses in the API's error shape.

The template is built by area modules (storage, functions, SES and the published topics,
alarms, the jobs' queues, event sources, the merge itself); this package re-exports
every public name, ``merge_template`` first of all.
"""

from __future__ import annotations

from infra.template.alarms import API_NAME, REPUTATION_ALARMS
from infra.template.functions import SEGMENT_SENDERS
from infra.template.job_queues import SEGMENT_CONCURRENCY, SEGMENT_FUNCTION
from infra.template.mail import SAME_ACCOUNT, TOPIC_KEY
from infra.template.merge import merge_template
from infra.template.sources import CAMPAIGN_PAGES

__all__ = [
    "API_NAME",
    "CAMPAIGN_PAGES",
    "REPUTATION_ALARMS",
    "SAME_ACCOUNT",
    "SEGMENT_CONCURRENCY",
    "SEGMENT_FUNCTION",
    "SEGMENT_SENDERS",
    "TOPIC_KEY",
    "merge_template",
]
