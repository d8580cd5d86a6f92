"""Import a store's order history: validate each row, fold each customer's history once.

Per chunk of customers: one batched read of their profiles, the orders already stored
and the import's own markers; the new orders written in batches with their ``counted``
markers; then each profile's aggregates written once, many customers per transaction,
each conditional on the version read with the import's marker ``import#<import_id>``.
A live order that changes a profile meanwhile refuses that transaction: its customers
are read again and folded again, so every order counts exactly once. Until a customer's
fold commits, nothing of the import counts for them, and uploading the file again
finishes it; after, the same rows are ``skipped``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.history import HISTORY_FOLDED_AT, Folded, fold_history
from chalicelib.domain.import_rows import ImportedOrder, Row, order_row
from chalicelib.domain.imports import ImportCounts, Reject
from chalicelib.domain.times import iso
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.exceptions import StaleWrite
from chalicelib.services.history_ports import HistoryReplenishables
from chalicelib.services.import_purchases import PurchaseFolding
from chalicelib.services.orders import order_digest
from chalicelib.services.ports import (
    Clock,
    CustomerValue,
    HistoryFold,
    HistoryWriter,
    Marker,
    SettingsStore,
)
from chalicelib.services.rescoring import rescored_with, stored_models

CHUNK_CUSTOMERS = 500
ATTEMPTS = 5
NO_CUSTOMER = "no customer with this customer_id: import the customers first"


@dataclass(frozen=True)
class HistoryDeps:
    """What an order import needs."""

    writer: HistoryWriter
    settings: SettingsStore
    clock: Clock
    purchases: HistoryReplenishables | None = None
    """With it, each fold carries the history's purchases (:mod:`.import_purchases`)."""


@dataclass(frozen=True)
class _Run:
    import_id: str
    now: datetime
    value_settings: CustomerValueSettings
    award_points: bool
    models: tuple[object, object]
    gift_categories: tuple[str, ...] = ()
    purchases: PurchaseFolding | None = None


def history_key(import_id: str) -> str:
    """The timeline key of an import's marker on a customer it folded."""
    return f"import#{import_id}"


def _validated(
    rows: list[Row], deps: HistoryDeps, now: datetime
) -> tuple[list[ImportedOrder], list[Reject]]:
    bounds = deps.settings.store().time_bounds(now)
    emails = sorted({r.email for r in rows if r.email and "customer_id" not in r.fields})
    owners = deps.writer.owners(emails) if emails else {}
    valid: list[ImportedOrder] = []
    rejects: list[Reject] = []
    seen: set[str] = set()
    for row in rows:
        if row.email is not None and "customer_id" not in row.fields:
            if row.email not in owners:
                rejects.append(Reject(row.line, "email", "no customer with this email"))
                continue
            row.fields["customer_id"] = owners[row.email]
        try:
            imported = order_row(row, bounds)
        except InvalidInput as bad:
            rejects.append(Reject(row.line, bad.field, bad.message))
            continue
        if imported.order.order_id in seen:
            rejects.append(Reject(row.line, "order_id", "order_id appears twice in the file"))
            continue
        seen.add(imported.order.order_id)
        valid.append(imported)
    return valid, rejects


def import_orders(
    rows: list[Row], import_id: str, deps: HistoryDeps
) -> tuple[ImportCounts, list[Reject]]:
    """Import ``rows`` (order rows in the API's shape); the counts and the rejected rows."""
    now = deps.clock.now()
    valid, rejects = _validated(rows, deps, now)
    store = deps.settings.store()
    run = _Run(
        import_id,
        now,
        deps.settings.customer_value(),
        store.import_points != "zero",
        stored_models(deps.settings),
        tuple(store.gift_categories),
        PurchaseFolding.of(deps.purchases, store, now.date()) if deps.purchases else None,
    )
    by_customer: dict[str, list[ImportedOrder]] = defaultdict(list)
    for item in valid:
        by_customer[item.order.customer_id].append(item)
    counts = ImportCounts(rows=len(rows), rejected=len(rejects))
    customers = sorted(by_customer)
    for start in range(0, len(customers), CHUNK_CUSTOMERS):
        chunk = {c: by_customer[c] for c in customers[start : start + CHUNK_CUSTOMERS]}
        done, refused = _import_chunk(chunk, run, deps.writer)
        counts += done
        rejects.extend(refused)
    return counts, sorted(rejects, key=lambda r: r.line)


def _new_orders(
    histories: dict[str, list[ImportedOrder]], import_id: str, writer: HistoryWriter
) -> tuple[dict[str, list[ImportedOrder]], int]:
    """The orders still to import per customer, and how many rows are already present."""
    folded = writer.marked([(c, history_key(import_id)) for c in histories])
    stored = writer.stored_orders([o.order.order_id for h in histories.values() for o in h])
    new: dict[str, list[ImportedOrder]] = {}
    skipped = 0
    for customer_id, history in histories.items():
        if (customer_id, history_key(import_id)) in folded:
            skipped += len(history)
            continue
        mine = [o for o in history if _ours(stored.get(o.order.order_id), import_id)]
        skipped += len(history) - len(mine)
        if mine:
            new[customer_id] = mine
    return new, skipped


def _ours(stored: dict[str, Any] | None, import_id: str) -> bool:
    """Whether an order is still this import's to write: new, or written by it before."""
    return stored is None or stored.get("import_id") == import_id


def _import_chunk(
    histories: dict[str, list[ImportedOrder]], run: _Run, writer: HistoryWriter
) -> tuple[ImportCounts, list[Reject]]:
    pending, skipped = _new_orders(histories, run.import_id, writer)
    rejects: list[Reject] = []
    imported = 0
    written: set[str] = set()
    for _ in range(ATTEMPTS):
        if not pending:
            break
        values = writer.values(sorted(pending))
        for customer_id in [c for c in pending if c not in values]:
            rejects.extend(
                Reject(o.line, "customer_id", NO_CUSTOMER) for o in pending.pop(customer_id)
            )
        folds = {c: _fold(values[c], pending[c], run) for c in pending}
        if run.purchases is not None:
            folds = run.purchases.apply(folds, pending)
        _write_orders(folds, pending, run, writer, written)
        refused = writer.commit_folds([fold for fold, _ in folds.values()])
        for customer_id, (_, folded) in folds.items():
            if customer_id not in refused:
                imported += len(folded.imported)
                rejects.extend(folded.rejects)
        pending = {c: pending[c] for c in refused}
    if pending:
        raise StaleWrite()  # the profiles kept changing; the upload can be sent again
    counts = ImportCounts(imported=imported, skipped=skipped, rejected=len(rejects))
    return counts, rejects


def _fold(
    value: CustomerValue, history: list[ImportedOrder], run: _Run
) -> tuple[HistoryFold, Folded]:
    settings = run.value_settings
    points = settings.points if run.award_points else None
    folded = fold_history(value.state, history, run.now, settings.tiers, points, run.import_id)
    customer_id = value.profile.customer_id
    attributes = folded.state.to_attributes(run.now.date(), settings.tiers)
    attributes.update(rescored_with(customer_id, folded.state, settings, run.now, run.models))
    attributes[HISTORY_FOLDED_AT] = iso(run.now)  # the stream sees a fold, not news
    attributes.update(_learned_occasions(value, history, run))
    if folded.paid:
        attributes["referral_credited"] = True  # the first payment is history: no bonus now
    data = {"orders": len(folded.imported), "counted": len(folded.facts)}
    marker = Marker(customer_id, history_key(run.import_id), iso(run.now), data)
    return HistoryFold(customer_id, value.version, attributes, marker), folded


def _learned_occasions(
    value: CustomerValue, history: list[ImportedOrder], run: _Run
) -> dict[str, Any]:
    """The gift months the imported gift orders teach, and the learned month due next."""
    from chalicelib.domain import gift_occasions as gifts

    months = value.profile.gift_months
    found = [o.order for o in history if gifts.is_gift(o.order, run.gift_categories)]
    if not found:
        return {}
    for order in found:
        months = gifts.with_gift(months, order)
    return {"gift_months": months, "occasion_next": gifts.next_due(months, run.now.date())}


def _write_orders(
    folds: dict[str, tuple[HistoryFold, Folded]],
    pending: dict[str, list[ImportedOrder]],
    run: _Run,
    writer: HistoryWriter,
    written: set[str],
) -> None:
    """The folded orders and their ``counted`` markers (before the folds that count them)."""
    orders: list[tuple[ImportedOrder, str]] = []
    markers: list[Marker] = []
    stamp = iso(run.now)
    for customer_id, (_, folded) in folds.items():
        keep = set(folded.imported)
        for item in pending[customer_id]:
            if item.order.order_id in keep and item.order.order_id not in written:
                orders.append((item, order_digest(item.order)))
                written.add(item.order.order_id)
        markers.extend(Marker(customer_id, f.entry_key, stamp, f.data) for f in folded.facts)
    writer.put_orders(orders, run.import_id, stamp)
    writer.put_markers(markers)
