"""The store's other tables: settings, support, keys, counts, metrics, activity, campaigns."""

from __future__ import annotations

from chalicelib.adapters.activity_repository import OPEN_CARTS_INDEX
from chalicelib.adapters.admin_keys_store import LISTING_INDEX
from chalicelib.adapters.campaigns_store import DUE_INDEX as CAMPAIGNS_DUE_INDEX
from chalicelib.adapters.campaigns_store import LISTING_INDEX as CAMPAIGNS_LISTING_INDEX
from chalicelib.adapters.job_runs_store import RUNS_INDEX
from chalicelib.adapters.metrics_store import DAY_KEY as METRICS_DAY_KEY
from chalicelib.adapters.support_repository import (
    CUSTOMER_OPENED_INDEX,
    OPEN_DUE_INDEX,
    STATUS_OPENED_INDEX,
)
from infra.resources.kinds import Index, Table

SETTINGS = Table(
    logical_id="SettingsTable",
    name="rapport-settings",
    env="RAPPORT_SETTINGS_TABLE",
    hash_key="setting_id",
    attributes={"setting_id": "S", "job_name": "S", "requested_at": "S"},
    indexes=(Index(RUNS_INDEX, "job_name", "requested_at"),),  # GET /v1/admin/jobs/{name}/runs
    ttl_attribute="expires_at",  # job runs (``job-run#<id>``) expire; settings never do
    holds_customer_data=False,
)

SUPPORT = Table(
    logical_id="SupportTable",
    name="rapport-support",
    env="RAPPORT_SUPPORT_TABLE",
    holds_customer_data=True,
    hash_key="ticket_id",
    range_key="record",
    attributes={
        "ticket_id": "S",
        "record": "S",
        "status": "S",
        "opened_at": "S",
        "due_key": "S",
        "due_at": "S",
        "customer_id": "S",
    },
    indexes=(
        Index(STATUS_OPENED_INDEX, "status", "opened_at"),
        Index(OPEN_DUE_INDEX, "due_key", "due_at"),
        Index(CUSTOMER_OPENED_INDEX, "customer_id", "opened_at"),
    ),
)
"""Support tickets (``record = "ticket"``) with their thread (``message#<id>``,
``reply#<id>``), message-id guards, the open counter and per-day figures (``metrics``).
Holds customer data: a ticket names its customer, and messages and replies are their words."""

KEYS = Table(
    logical_id="KeysTable",
    name="rapport-keys",
    env="RAPPORT_KEYS_TABLE",
    holds_customer_data=False,
    hash_key="key_id",
    attributes={"key_id": "S", "listing": "S", "created_at": "S"},
    indexes=(Index(LISTING_INDEX, "listing", "created_at"),),
)
"""Admin keys the API issued: id, name, role, HMAC digest, created and last-used dates.
No personal data (a key's name labels what uses it); never the key itself."""

COUNTS = Table(
    logical_id="CountsTable",
    name="rapport-counts",
    env="RAPPORT_COUNTS_TABLE",
    hash_key="counter_id",
    attributes={"counter_id": "S"},
    # Sharded counters of customers per class, and per customer the stream sequence number
    # of the last change counted: an id and a number, no personal data (erasure leaves the
    # marker so a replayed erasure record is not counted twice).
    holds_customer_data=False,
)
METRICS = Table(
    logical_id="MetricsTable",
    name="rapport-metrics",
    env="RAPPORT_METRICS_TABLE",
    holds_customer_data=False,
    hash_key=METRICS_DAY_KEY,
    attributes={METRICS_DAY_KEY: "S"},
    ttl_attribute="expires_at",  # the per-fact markers expire; day items never do
)
"""The store's daily counters, one item per store day (``docs/metrics.md``), and
per-fact markers (``fact#<sha256 of the fact key>``, kept a week). No personal data:
counts, and hashes of fact keys that expire."""

ACTIVITY = Table(
    logical_id="ActivityTable",
    name="rapport-activity",
    env="RAPPORT_ACTIVITY_TABLE",
    hash_key="customer_id",
    range_key="record",
    attributes={"customer_id": "S", "record": "S", "cart_due": "S", "idle_since": "S"},
    # The cart-reminders job reads the open carts idle long enough (sparse: open carts only)
    indexes=(Index(OPEN_CARTS_INDEX, "cart_due", "idle_since"),),
    holds_customer_data=True,
)
"""A customer's shop activity: events (``event#<id>``), the cart (``cart``) and product
views (``view#<sku>``). Holds customer data: what a person looked at and put in a cart."""

CAMPAIGNS = Table(
    logical_id="CampaignsTable",
    name="rapport-campaigns",
    env="RAPPORT_CAMPAIGNS_TABLE",
    holds_customer_data=False,
    hash_key="campaign_id",
    attributes={
        "campaign_id": "S",
        "listing": "S",
        "created_at": "S",
        "due_key": "S",
        "send_at": "S",
    },
    indexes=(
        Index(CAMPAIGNS_LISTING_INDEX, "listing", "created_at"),
        Index(CAMPAIGNS_DUE_INDEX, "due_key", "send_at"),
    ),
)
"""Product-update campaigns: the admin's request, the fan-out's progress and the counts
of its messages. No personal data (the messages, in the messages table, name the
recipients; the counted-transition markers live on those message items)."""
