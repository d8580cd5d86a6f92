"""Import a store's customers: each row validated as a signup, each written once.

Each profile is written as a signup writes it (the profile, its email guard and its
first version, in one transaction), marked with the import, so the customers stream
sends no welcome letter. A row whose ``customer_id`` exists is ``skipped``; one whose
email belongs to another profile is rejected.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.import_rows import Row, customer_row
from chalicelib.domain.imports import ImportCounts, Reject
from chalicelib.domain.signup import signup_digest
from chalicelib.services.exceptions import AlreadyExists
from chalicelib.services.ports import CustomerRepository
from chalicelib.services.retry import retry_throttled

EMAIL_TAKEN = "this email belongs to another customer"


def import_customers(
    rows: list[Row], import_id: str, customers: CustomerRepository, now: datetime
) -> tuple[ImportCounts, list[Reject]]:
    """Import ``rows`` (signup rows); the counts and the rejected rows."""
    rejects: list[Reject] = []
    imported = skipped = 0
    seen: set[str] = set()
    for row in rows:
        try:
            request = customer_row(row, now)
        except InvalidInput as bad:
            rejects.append(Reject(row.line, bad.field, bad.message))
            continue
        if request.customer_id in seen:
            rejects.append(Reject(row.line, "customer_id", "customer_id appears twice in the file"))
            continue
        seen.add(request.customer_id)
        profile = request.to_profile(now)
        digest = signup_digest(request)
        try:
            retry_throttled(lambda: customers.create(profile, digest, None, import_id))  # noqa: B023
        except AlreadyExists as exists:
            if exists.field == "email":
                rejects.append(Reject(row.line, "email", EMAIL_TAKEN))
            else:
                skipped += 1
            continue
        imported += 1
    counts = ImportCounts(rows=len(rows), imported=imported, skipped=skipped, rejected=len(rejects))
    return counts, rejects
