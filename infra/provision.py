"""Create the resources of :mod:`infra.resources` through boto3.

Used by the local stack (embedded moto server or any endpoint in ``AWS_ENDPOINT_URL``)
and by the tests (in-process moto). Returns the environment variables the runtime reads,
so the same names flow from one definition to every place that needs them.
"""

from __future__ import annotations

from typing import Any

from infra import resources
from infra.resources import Table

MAIL_FROM_DEFAULT = "hello@rapport.example"

LOCAL_SECRET_VALUES = {
    resources.SIGNING_SECRET.logical_id: "local-development-signing-secret",
    resources.CARRIER_SECRET.logical_id: "dev-carrier-secret",
    resources.ADMIN_KEYS_SECRET.logical_id: "local-development-admin-keys-secret",
}
"""Values of the secrets on the local stack and in the tests (AWS generates its own)."""


def table_spec(table: Table) -> dict[str, Any]:
    """Return the ``CreateTable`` arguments for ``table`` (also used by the template)."""
    key_schema = [{"AttributeName": table.hash_key, "KeyType": "HASH"}]
    if table.range_key:
        key_schema.append({"AttributeName": table.range_key, "KeyType": "RANGE"})
    spec: dict[str, Any] = {
        "TableName": table.name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": kind}
            for name, kind in table.attributes.items()
        ],
        "KeySchema": key_schema,
    }
    if table.indexes:
        spec["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": [{"AttributeName": index.hash_key, "KeyType": "HASH"}]
                + (
                    [{"AttributeName": index.range_key, "KeyType": "RANGE"}]
                    if index.range_key
                    else []
                ),
                "Projection": {"ProjectionType": index.projection},
            }
            for index in table.indexes
        ]
    if table.has_stream:
        spec["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": resources.STREAM_VIEW,
        }
    return spec


def create_all(session: Any, mail_from: str = MAIL_FROM_DEFAULT) -> dict[str, str]:
    """Create every table, topic, queue and the SES identity; return the runtime env.

    Parameters
    ----------
    session:
        A ``boto3.session.Session`` (or anything with ``client(name)``) pointed at
        moto or another AWS-compatible endpoint.
    mail_from:
        The sender address to verify in SES.
    """
    dynamodb = session.client("dynamodb")
    env: dict[str, str] = {}
    existing = set(dynamodb.list_tables()["TableNames"])
    for table in resources.TABLES:
        if table.name not in existing:
            dynamodb.create_table(**table_spec(table))
        description = dynamodb.describe_table(TableName=table.name)["Table"]
        env[table.env] = table.name
        if table.stream_env:
            env[table.stream_env] = description["LatestStreamArn"]
    sns = session.client("sns")
    for topic in resources.TOPICS:
        env[topic.env] = sns.create_topic(Name=topic.name)["TopicArn"]
    sqs = session.client("sqs")
    for queue in resources.QUEUES:
        env[queue.env] = sqs.create_queue(QueueName=queue.name)["QueueUrl"]
    bus = resources.PROFILE_EVENT_BUS
    events = session.client("events")
    if not any(b["Name"] == bus.name for b in events.list_event_buses()["EventBuses"]):
        events.create_event_bus(Name=bus.name)
    env[bus.env] = bus.name
    env[resources.IMPORTS_BUCKET.env] = create_bucket(session, resources.IMPORTS_BUCKET.name)
    ses = session.client("sesv2")
    ses.create_email_identity(EmailIdentity=mail_from)
    env["RAPPORT_MAIL_FROM"] = mail_from
    env.update(create_secrets(session))
    return env


def create_bucket(session: Any, name: str) -> str:
    """Create the bucket (kept if it exists); returns its name."""
    s3 = session.client("s3")
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if name not in existing:
        region = s3.meta.region_name
        where = {} if region == "us-east-1" else {"LocationConstraint": region}
        s3.create_bucket(Bucket=name, **({"CreateBucketConfiguration": where} if where else {}))
    return name


def create_secrets(session: Any) -> dict[str, str]:
    """Create each secret of :mod:`infra.resources` with its local value; return the ARNs.

    A secret that already exists (another run against the same endpoint) is kept.
    """
    client = session.client("secretsmanager")
    env: dict[str, str] = {}
    for secret in resources.SECRETS:
        try:
            arn = client.create_secret(
                Name=secret.name,
                Description=secret.description,
                SecretString=LOCAL_SECRET_VALUES[secret.logical_id],
            )["ARN"]
        except client.exceptions.ResourceExistsException:
            arn = client.describe_secret(SecretId=secret.name)["ARN"]
        env[secret.env] = arn
    return env
