"""The tables of a customer's record: profiles, timeline, messages, orders, shipments."""

from __future__ import annotations

from chalicelib.adapters.customer_lists import (
    EMAIL_SEARCH_INDEX,
    NAME_SEARCH_INDEX,
    SIGNED_UP_INDEX,
    TIER_INDEX,
    TOP_CLV_INDEX,
    TOP_SPEND_INDEX,
)
from chalicelib.adapters.customer_records import MESSAGES_BY_CUSTOMER_INDEX
from chalicelib.adapters.customer_value_store import LOYALTY_INDEX, SEGMENT_INDEX
from chalicelib.adapters.customers_repository import TIMELINE_INDEX
from chalicelib.adapters.feedback_store import PROVIDER_INDEX
from chalicelib.adapters.occasion_index import (
    ANNIVERSARY_INDEX,
    ANNIVERSARY_KEY,
    BIRTHDAY_INDEX,
    BIRTHDAY_KEY,
    OCCASION_INDEX,
    OCCASION_KEY,
)
from chalicelib.adapters.orders_repository import CUSTOMER_ORDERS_INDEX
from chalicelib.adapters.outbox import STATUS_INDEX
from chalicelib.adapters.purchases import SKU_BUYERS_INDEX
from chalicelib.adapters.replenishment_store import REPLENISH_DUE_INDEX
from chalicelib.adapters.reviews_repository import COUPON_INDEX
from chalicelib.adapters.shipments_repository import CUSTOMER_PARCELS_INDEX, ORDER_INDEX
from chalicelib.adapters.survey_audience import PLACED_MONTH_INDEX
from chalicelib.adapters.unreachable_list import UNREACHABLE_INDEX
from infra.resources.kinds import Index, Table

CUSTOMERS = Table(
    logical_id="CustomersTable",
    name="rapport-customers",
    env="RAPPORT_CUSTOMERS_TABLE",
    hash_key="customer_id",
    attributes={
        "customer_id": "S",
        "segment_key": "S",
        "clv_value": "N",
        "loyalty": "S",
        "unreachable_key": "S",
        BIRTHDAY_KEY: "S",
        ANNIVERSARY_KEY: "S",
        OCCASION_KEY: "S",
        "tier_key": "S",
        "spent_12m": "N",
        "record_type": "S",
        "created_at": "S",
        "name_search": "S",
        "email": "S",
    },
    # Only the indexes the runtime queries.
    indexes=(
        Index(SEGMENT_INDEX, "segment_key", "clv_value"),
        Index(LOYALTY_INDEX, "loyalty", "customer_id"),
        # GET /v1/admin/customers?reachable=false (sparse: only unreachable profiles)
        Index(UNREACHABLE_INDEX, "unreachable_key", "customer_id"),
        # the engagement job: the customers of a day, by month-day or learned month
        Index(BIRTHDAY_INDEX, BIRTHDAY_KEY, "customer_id"),
        Index(ANNIVERSARY_INDEX, ANNIVERSARY_KEY, "customer_id"),
        Index(OCCASION_INDEX, OCCASION_KEY, "customer_id"),
        # GET /v1/admin/customers?tier=, ?top=, ?signed_up_from=, ?q= (docs/admin-lists.md):
        # the last five have one partition, record_type "profile" (email guards, erased
        # records and suppressions are not in them).
        Index(TIER_INDEX, "tier_key", "spent_12m"),
        Index(TOP_CLV_INDEX, "record_type", "clv_value"),
        Index(TOP_SPEND_INDEX, "record_type", "spent_12m"),
        Index(SIGNED_UP_INDEX, "record_type", "created_at"),
        Index(NAME_SEARCH_INDEX, "record_type", "name_search"),
        Index(EMAIL_SEARCH_INDEX, "record_type", "email"),
    ),
    stream_env="RAPPORT_CUSTOMERS_STREAM_ARN",
    holds_customer_data=True,
)

TIMELINE = Table(
    logical_id="TimelineTable",
    name="rapport-timeline",
    env="RAPPORT_TIMELINE_TABLE",
    hash_key="customer_id",
    range_key="entry_key",
    attributes={"customer_id": "S", "entry_key": "S", "at": "S", "replenish_due": "S"},
    indexes=(
        Index(TIMELINE_INDEX, "customer_id", "at"),
        # the replenishment job's due days (sparse: only purchases with a reminder due)
        Index(REPLENISH_DUE_INDEX, "replenish_due", "customer_id", projection="KEYS_ONLY"),
    ),
    holds_customer_data=True,
)
"""Every fact has ``at`` (UTC ISO text): the admin timeline reads it newest first. The
replenishable purchases (``replenish#<sku>``) are state, not facts: they have no ``at``."""

MESSAGES = Table(
    logical_id="MessagesTable",
    name="rapport-messages",
    env="RAPPORT_MESSAGES_TABLE",
    hash_key="customer_id",
    range_key="message_key",
    attributes={
        "customer_id": "S",
        "message_key": "S",
        "status": "S",
        "created_at": "S",
        "provider_message_id": "S",
    },
    indexes=(
        Index(STATUS_INDEX, "status", "created_at"),
        Index(MESSAGES_BY_CUSTOMER_INDEX, "customer_id", "created_at"),  # the admin's log
        # SES feedback names the mail by the id the send returned (sparse: sent mail only)
        Index(PROVIDER_INDEX, "provider_message_id", projection="KEYS_ONLY"),
    ),
    stream_env="RAPPORT_MESSAGES_STREAM_ARN",
    holds_customer_data=True,
)

ORDERS = Table(
    logical_id="OrdersTable",
    name="rapport-orders",
    env="RAPPORT_ORDERS_TABLE",
    hash_key="order_id",
    range_key="record",
    attributes={
        "order_id": "S",
        "record": "S",
        "customer_id": "S",
        "placed_at": "S",
        "coupon_code": "S",
        "placed_month": "S",
        "purchase_sku": "S",
    },
    indexes=(
        Index(CUSTOMER_ORDERS_INDEX, "customer_id", "placed_at"),
        # orders by the UTC month they were placed: the monthly survey's recent buyers
        Index(PLACED_MONTH_INDEX, "placed_month", "placed_at"),
        # review coupons by code (sparse: only coupon items carry one)
        Index(COUPON_INDEX, "coupon_code", projection="KEYS_ONLY"),
        # a sku's buyers for product-update campaigns (sparse: purchases not withdrawn)
        Index(SKU_BUYERS_INDEX, "purchase_sku", "customer_id"),
    ),
    stream_env="RAPPORT_ORDERS_STREAM_ARN",
    holds_customer_data=True,
)
"""Orders (``record = "order"``), their returns (``record = "return#<return_id>"``) and
their purchase items (``record = "purchase#<sku>"``, the ``sku-buyers`` index)."""

SHIPMENTS = Table(
    logical_id="ShipmentsTable",
    name="rapport-shipments",
    env="RAPPORT_SHIPMENTS_TABLE",
    hash_key="tracking_number",
    range_key="record",
    attributes={
        "tracking_number": "S",
        "record": "S",
        "order_id": "S",
        "customer_id": "S",
        "registered_at": "S",
    },
    indexes=(
        Index(ORDER_INDEX, "order_id", "tracking_number"),
        Index(CUSTOMER_PARCELS_INDEX, "customer_id", "registered_at"),  # export, erasure
    ),
    stream_env="RAPPORT_SHIPMENTS_STREAM_ARN",
    holds_customer_data=True,
)
"""Parcels (``record = "parcel"``) and carrier scans (``record = "scan#<event_id>"``)."""
