"""S3 ``ObjectCreated`` notifications for the local stack (moto's server sends none).

On AWS the imports bucket notifies the import function of each upload (``infra/``).
Here a poller lists the bucket under the notification's prefix, and for each object
that is new or rewritten (another ETag or time) since the last listing, invokes the
app's function with the event AWS documents (``Records[].s3.bucket/object``, the key
URL-encoded), retrying a failed invocation twice as Lambda does for asynchronous
invocations. Objects present when the poller starts are not announced.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

from infra import resources

log = logging.getLogger(__name__)
ASYNC_RETRIES = 2
POLL_SECONDS = 0.25


def object_created(
    bucket: str, key: str, size: int, etag: str, region: str, at: datetime
) -> dict[str, Any]:
    """The event S3 sends for a ``PutObject`` (event structure version 2.1)."""
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region,
                "eventTime": stamp,
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "local"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {"x-amz-request-id": "local", "x-amz-id-2": "local"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": f"{resources.IMPORT_FUNCTION}Upload",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "local"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {
                        "key": quote_plus(key, safe="/"),
                        "size": size,
                        "eTag": etag.strip('"'),
                        "sequencer": f"{int(at.timestamp() * 1e6):016X}",
                    },
                },
            }
        ]
    }


class S3EventPoller(threading.Thread):
    """Announces new objects of ``bucket`` (matching the upload filter) to ``function``."""

    def __init__(self, function: Any, session: Any, bucket: str, stop: threading.Event) -> None:
        super().__init__(name="s3-events", daemon=True)
        self._function = function
        self._client = session.client("s3")
        self._bucket = bucket
        self._stop_event = stop
        self._seen = {key: sig for key, sig, _ in self._listing()}
        self.delivered = 0

    def _listing(self) -> list[tuple[str, tuple[str, str], int]]:
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=resources.IMPORT_UPLOAD_PREFIX
        )
        return [
            (o["Key"], (o["ETag"], o["LastModified"].isoformat()), int(o["Size"]))
            for page in pages
            for o in page.get("Contents", [])
            if o["Key"].endswith(resources.IMPORT_UPLOAD_SUFFIX)
        ]

    def poll_once(self) -> int:
        """Deliver an event for each new or rewritten object; returns how many."""
        delivered = 0
        for key, sig, size in self._listing():
            if self._seen.get(key) == sig:
                continue
            self._seen[key] = sig
            region = self._client.meta.region_name
            self._invoke(object_created(self._bucket, key, size, sig[0], region, datetime.now(UTC)))
            delivered += 1
        self.delivered += delivered
        return delivered

    def _invoke(self, event: dict[str, Any]) -> None:
        for attempt in range(ASYNC_RETRIES + 1):
            try:
                self._function(event, None)
                return
            except Exception:
                log.exception("import function failed (attempt %d)", attempt + 1)

    def run(self) -> None:
        """Poll until the stack stops."""
        while not self._stop_event.wait(POLL_SECONDS):
            try:
                self.poll_once()
            except Exception:
                log.exception("listing the imports bucket failed")
