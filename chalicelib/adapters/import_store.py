"""Imports: their runs in the settings table (``import#<id>``) and files in S3."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.items import get_item
from chalicelib.domain.imports import ImportRun
from chalicelib.domain.times import parse_iso

PREFIX = "import#"
KEEP = timedelta(days=90)


class DynamoImportRunStore:
    """Implements :class:`chalicelib.services.ports.ImportRunStore`."""

    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _item(self, run: ImportRun) -> dict[str, Any]:
        expires = int((parse_iso(run.created_at) + KEEP).timestamp())
        return codec.to_item(
            {"setting_id": PREFIX + run.import_id, "import": run.to_dict(), "expires_at": expires}
        )

    def create(self, run: ImportRun) -> bool:
        """Store a new import; ``False`` when its id is taken."""
        try:
            with throttling_as_adapter_error():
                self._client.put_item(
                    TableName=self._table,
                    Item=self._item(run),
                    ConditionExpression="attribute_not_exists(setting_id)",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get(self, import_id: str) -> ImportRun | None:
        """The import, or ``None``."""
        item = get_item(self._client, self._table, {"setting_id": PREFIX + import_id})
        return ImportRun.from_dict(item["import"]) if item and "import" in item else None

    def save(self, run: ImportRun) -> None:
        """Store the import's new status and counts."""
        with throttling_as_adapter_error():
            self._client.put_item(TableName=self._table, Item=self._item(run))


class S3ImportFiles:
    """Implements :class:`chalicelib.services.ports.ImportFiles` on one bucket."""

    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def upload_url(self, key: str, expires_in: int) -> str:
        """A presigned ``PUT`` of ``key`` (the bucket encrypts it by default)."""
        params = {"Bucket": self._bucket, "Key": key}
        return str(
            self._client.generate_presigned_url("put_object", Params=params, ExpiresIn=expires_in)
        )

    def download_url(self, key: str, expires_in: int) -> str:
        """A presigned ``GET`` of ``key``."""
        params = {"Bucket": self._bucket, "Key": key}
        return str(
            self._client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
        )

    def read(self, key: str) -> bytes:
        """The object's bytes."""
        body = self._client.get_object(Bucket=self._bucket, Key=key)["Body"]
        return bytes(body.read())

    def write(self, key: str, body: bytes, content_type: str) -> None:
        """Store ``body`` at ``key``."""
        self._client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type)
