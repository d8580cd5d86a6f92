"""The imports bucket and the function its uploads invoke."""

from __future__ import annotations

from chalicelib.config import (
    IMPORTS_BUCKET_VARIABLE,
)
from chalicelib.domain.imports import KEY_PREFIX, UPLOAD_NAME
from infra.resources.kinds import Bucket

IMPORTS_BUCKET = Bucket(
    logical_id="ImportsBucket",
    name="rapport-imports",
    env=IMPORTS_BUCKET_VARIABLE,
    expire_days=7,
    holds_customer_data=True,
)
"""Uploaded import files (``imports/<id>/upload``) and their rejects: customers' data,
so they expire after a week (the import has copied what it keeps into the tables)."""
IMPORT_FUNCTION = "OnImportUpload"
"""The function the bucket's ``ObjectCreated`` events invoke (chalice ``on_import_upload``)."""
IMPORT_UPLOAD_PREFIX = KEY_PREFIX
IMPORT_UPLOAD_SUFFIX = "/" + UPLOAD_NAME
