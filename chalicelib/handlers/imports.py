"""The imports bucket's ``ObjectCreated`` events: each upload runs its import."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from chalicelib import bootstrap
from chalicelib.observability import logger


def uploaded(event: dict[str, Any]) -> dict[str, Any]:
    """Run the import of every object the S3 event names (keys are URL-encoded)."""
    from chalicelib.services.imports import run_import

    outcomes = []
    for record in event.get("Records") or []:
        key = unquote_plus(record["s3"]["object"]["key"])
        outcome = run_import(key, bootstrap.container().imports)
        logger.info("import upload", extra={"key": key, "outcome": outcome})
        outcomes.append(outcome)
    return {"outcomes": outcomes}
