"""Bulk imports: create one (a presigned upload link), run it when its file lands, report.

``POST /v1/admin/imports`` stores the import (``uploading``) and answers an upload link
to the imports bucket; the bucket's ``ObjectCreated`` event runs :func:`run_import`:
the whole file is read and parsed first (a file that cannot be read fails the import
with the reason, before anything is written), then each row is validated as the API
validates it and imported, skipped or rejected. The rejected rows (line, field,
reason) are written beside the upload as a CSV file offered by a presigned link.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from chalicelib.domain import imports as im
from chalicelib.domain.exceptions import Conflict, MalformedFile, NotFound
from chalicelib.domain.import_rows import Row, decode, jsonl_rows
from chalicelib.domain.shopify import customer_rows, order_rows
from chalicelib.domain.times import iso
from chalicelib.services.import_customers import import_customers
from chalicelib.services.import_orders import HistoryDeps, import_orders
from chalicelib.services.ports import Clock, CustomerRepository, ImportFiles, ImportRunStore

UPLOAD_SECONDS = 3600
"""How long an upload link is valid."""
DOWNLOAD_SECONDS = 900
"""How long a link to the rejects file is valid."""
_READERS = {
    im.JSONL: jsonl_rows,
    im.SHOPIFY_CUSTOMERS: customer_rows,
    im.SHOPIFY_ORDERS: order_rows,
}


@dataclass(frozen=True)
class ImportDeps:
    """What imports need."""

    runs: ImportRunStore
    files: ImportFiles
    customers: CustomerRepository
    history: HistoryDeps
    clock: Clock


def import_url(import_id: str) -> str:
    """The import's own URL."""
    return f"/v1/admin/imports/{import_id}"


def import_view(run: im.ImportRun, deps: ImportDeps, upload: bool = False) -> dict[str, Any]:
    """The import as the admin API shows it (with an upload link when asked)."""
    body: dict[str, Any] = {
        "import_id": run.import_id,
        "kind": run.kind,
        "format": run.format,
        "status": run.status,
        "created_at": run.created_at,
        "updated_at": run.updated_at,
        "rows": run.counts.rows,
        "imported": run.counts.imported,
        "skipped": run.counts.skipped,
        "rejected": run.counts.rejected,
        "url": import_url(run.import_id),
    }
    if run.reason:
        body["reason"] = run.reason
    if run.has_rejects:
        key = im.object_key(run.import_id, im.REJECTS_NAME)
        body["rejects_url"] = deps.files.download_url(key, DOWNLOAD_SECONDS)
    if upload:
        body["upload_url"] = deps.files.upload_url(im.object_key(run.import_id), UPLOAD_SECONDS)
    return body


def create_import(payload: Any, deps: ImportDeps) -> tuple[dict[str, Any], bool]:
    """A new import (``True``: 201) or the same one again with a fresh upload link (200)."""
    import_id, kind, file_format = im.parse_import_request(payload)
    now = iso(deps.clock.now())
    run = im.ImportRun(import_id, kind, file_format, im.UPLOADING, now, now)
    if deps.runs.create(run):
        return import_view(run, deps, upload=True), True
    stored = deps.runs.get(import_id)
    if stored is None or (stored.kind, stored.format) != (kind, file_format):
        raise Conflict("import_id is another import's (another kind or format)", "import_id")
    return import_view(stored, deps, upload=True), False


def get_import(import_id: str, deps: ImportDeps) -> dict[str, Any]:
    """The import's status and counts (404 when unknown)."""
    run = deps.runs.get(import_id)
    if run is None:
        raise NotFound("no import with this id", "import_id")
    return import_view(run, deps)


def _rows(run: im.ImportRun, data: bytes) -> list[Row]:
    return _READERS[run.format](decode(data))


def _apply(run: im.ImportRun, rows: list[Row], deps: ImportDeps) -> tuple[im.ImportCounts, Any]:
    if run.kind == im.CUSTOMERS:
        return import_customers(rows, run.import_id, deps.customers, deps.clock.now())
    return import_orders(rows, run.import_id, deps.history)


def rejects_csv(rejects: list[im.Reject]) -> bytes:
    """The rejects file: ``line,field,reason`` (UTF-8 with a BOM, for spreadsheets)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(("line", "field", "reason"))
    writer.writerows((r.line, r.field or "", r.reason) for r in rejects)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def run_import(key: str, deps: ImportDeps) -> str:
    """Run the import whose file landed at ``key``; the outcome (``done``, ``failed``...)."""
    import_id = im.import_id_of(key)
    run = deps.runs.get(import_id) if import_id else None
    if run is None:
        return "ignored"  # not an import's upload (or its import is unknown)
    fresh = im.ImportCounts()
    now = iso(deps.clock.now())
    running = run.moved(im.RUNNING, now, counts=fresh, reason=None, has_rejects=False)
    deps.runs.save(running)
    try:
        rows = _rows(run, deps.files.read(key))
    except MalformedFile as bad:
        deps.runs.save(running.moved(im.FAILED, iso(deps.clock.now()), reason=bad.message))
        return im.FAILED
    try:
        counts, rejects = _apply(run, rows, deps)
    except Exception as error:
        reason = f"the import stopped ({type(error).__name__}); upload the file again to finish"
        deps.runs.save(running.moved(im.FAILED, iso(deps.clock.now()), reason=reason))
        raise
    if rejects:
        rejects_key = im.object_key(run.import_id, im.REJECTS_NAME)
        deps.files.write(rejects_key, rejects_csv(rejects), "text/csv; charset=utf-8")
    done = running.moved(im.DONE, iso(deps.clock.now()), counts=counts, has_rejects=bool(rejects))
    deps.runs.save(done)
    return im.DONE
