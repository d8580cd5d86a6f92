"""Bulk imports: the request, the run's status and counts, and its rejected rows.

An import is created by ``POST /v1/admin/imports`` (status ``uploading``), runs when its
file lands in the imports bucket (``running``) and ends ``done`` or ``failed`` (a file
that cannot be read as its format, with the reason). Each row is ``imported``,
``skipped`` (already present: its id is known) or ``rejected`` (line, field, reason).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from chalicelib.domain import validation as v

CUSTOMERS, ORDERS = "customers", "orders"
JSONL = "jsonl"
SHOPIFY_CUSTOMERS = "shopify_customers_csv"
SHOPIFY_ORDERS = "shopify_orders_csv"
FORMATS: dict[str, tuple[str, ...]] = {
    JSONL: (CUSTOMERS, ORDERS),
    SHOPIFY_CUSTOMERS: (CUSTOMERS,),
    SHOPIFY_ORDERS: (ORDERS,),
}
"""Each file format and the kinds of rows it can carry."""
IMPORT_STATUSES = ("uploading", "running", "done", "failed")
UPLOADING, RUNNING, DONE, FAILED = IMPORT_STATUSES
UPLOAD_NAME = "upload"
"""The uploaded file's name under ``imports/<import_id>/``; the rejects are beside it."""
REJECTS_NAME = "rejects.csv"
KEY_PREFIX = "imports/"
"""Where imports keep their files in the bucket (the upload event filters on it)."""


@dataclass(frozen=True)
class Reject:
    """A row the import refused: its line in the file, the field and why."""

    line: int
    field: str | None
    reason: str


@dataclass(frozen=True)
class ImportCounts:
    """What happened to the file's rows."""

    rows: int = 0
    imported: int = 0
    skipped: int = 0
    rejected: int = 0

    def __add__(self, other: ImportCounts) -> ImportCounts:
        return ImportCounts(
            self.rows + other.rows,
            self.imported + other.imported,
            self.skipped + other.skipped,
            self.rejected + other.rejected,
        )


@dataclass(frozen=True)
class ImportRun:
    """One import: what it reads, where it stands, and its counts."""

    import_id: str
    kind: str
    format: str
    status: str
    created_at: str
    updated_at: str
    counts: ImportCounts = field(default_factory=ImportCounts)
    reason: str | None = None
    has_rejects: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain form for storage."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportRun:
        """Read it back from :meth:`to_dict`."""
        counts = ImportCounts(**{k: int(n) for k, n in (data.get("counts") or {}).items()})
        return cls(**{**data, "counts": counts})

    def moved(self, status: str, at: str, **changes: Any) -> ImportRun:
        """The run in ``status`` as of ``at``."""
        return replace(self, status=status, updated_at=at, **changes)


def parse_import_request(payload: Any) -> tuple[str, str, str]:
    """``(import_id, kind, format)`` of a ``POST /v1/admin/imports`` body (400 naming a field)."""
    body = v.require_object(payload)
    v.reject_unknown(body, ("import_id", "kind", "format"))
    for name in ("import_id", "kind", "format"):
        if name not in body:
            raise v.InvalidInput(f"{name} is required", name)
    import_id = v.identifier(body["import_id"], "import_id")
    kind = v.choice(body["kind"], (CUSTOMERS, ORDERS), "kind")
    file_format = v.choice(body["format"], tuple(FORMATS), "format")
    if kind not in FORMATS[file_format]:
        raise v.InvalidInput(f"a {file_format} file holds {FORMATS[file_format][0]}", "format")
    return import_id, kind, file_format


def object_key(import_id: str, name: str = UPLOAD_NAME) -> str:
    """The bucket key of an import's file (``name``: the upload or the rejects)."""
    return f"{KEY_PREFIX}{import_id}/{name}"


def import_id_of(key: str) -> str | None:
    """The import an uploaded object belongs to, or ``None`` for any other key."""
    if not key.startswith(KEY_PREFIX):
        return None
    import_id, _, name = key[len(KEY_PREFIX) :].partition("/")
    return import_id if name == UPLOAD_NAME and import_id else None
