"""Counts of the requests the local stack's moto received, as the bench reads them.

DynamoDB bills and throttles by request (and by item), and a stream handler's writes are
requests like the import's own. Counting in the moto process sees every request of
every client of the stack (the API, the import function, the stream pumps and their
handlers, the scheduler) and nothing else: :class:`RequestCounter` wraps moto's WSGI app
and counts each request by service and operation (``dynamodb:BatchWriteItem``), and each
DynamoDB write request once per table it writes (``rapport-orders``). The counts and
this process's peak resident memory are answered as JSON at :data:`COUNTS_PATH`
(:func:`read_counts`); a reader takes the difference of two readings.
"""

from __future__ import annotations

import io
import json
import resource
import threading
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

COUNTS_PATH = "/rapport-local/requests"
DYNAMODB_WRITES = frozenset(
    {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
)
"""DynamoDB's write operations (each request counts, whatever its size)."""
_TARGET_SERVICES = {"DynamoDB": "dynamodb", "DynamoDBStreams": "dynamodbstreams"}


def _service(environ: dict[str, Any]) -> str:
    """The service the request signs for (its credential scope), else ``unknown``."""
    scope = environ.get("HTTP_AUTHORIZATION", "")
    if "Credential=" not in scope:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        scope = "Credential=" + (query.get("X-Amz-Credential") or [""])[0]
    parts = scope.split("Credential=", 1)[1].split(",", 1)[0].split("/")
    return parts[3] if len(parts) > 3 else "unknown"


def operation(environ: dict[str, Any], body: bytes) -> str:
    """``service:Operation`` of one request (JSON target, query ``Action``, else the method)."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if "." in target:
        prefix, name = target.split(".", 1)
        service = _TARGET_SERVICES.get(prefix.split("_", 1)[0], _service(environ))
        return f"{service}:{name}"
    service = _service(environ)
    form = parse_qs(environ.get("QUERY_STRING", ""))
    if not form.get("Action") and environ.get("CONTENT_TYPE", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        form = parse_qs(body.decode("utf-8", "replace"))
    action = (form.get("Action") or [""])[0]
    return f"{service}:{action or environ.get('REQUEST_METHOD', 'GET')}"


def written_tables(name: str, body: bytes) -> set[str]:
    """The tables a DynamoDB write request ``name`` writes (empty for any other)."""
    if name not in DYNAMODB_WRITES:
        return set()
    request = json.loads(body or b"{}")
    if name == "BatchWriteItem":
        return set(request.get("RequestItems", {}))
    if name == "TransactWriteItems":
        actions: list[dict[str, Any]] = [
            next(iter(a.values()), {}) for a in request.get("TransactItems", [])
        ]
        return {a["TableName"] for a in actions if "TableName" in a}
    return {request["TableName"]} if "TableName" in request else set()


class RequestCounter:
    """A WSGI app counting the requests it passes to ``app``; answers :data:`COUNTS_PATH`."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.writes: Counter[str] = Counter()

    def counts(self) -> dict[str, Any]:
        """The counts so far and this process's peak resident memory (MB)."""
        with self._lock:
            requests, writes = dict(self.requests), dict(self.writes)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
        return {"requests": requests, "writes_by_table": writes, "peak_rss_mb": peak_kb / 1024}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == COUNTS_PATH:
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(self.counts()).encode("utf-8")]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        name = operation(environ, body)
        tables = written_tables(name.split(":", 1)[1], body) if name.startswith("dynamodb:") else ()
        with self._lock:
            self.requests[name] += 1
            self.writes.update(tables)
        return self._app(environ, start_response)


def read_counts(endpoint: str) -> dict[str, Any]:
    """The counts of the moto process at ``endpoint`` (``local.moto_process``)."""
    with urllib.request.urlopen(f"{endpoint}{COUNTS_PATH}", timeout=30) as response:
        return dict(json.load(response))
