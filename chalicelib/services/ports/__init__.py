"""Ports: what services need from the outside world, as protocols.

Adapters in :mod:`chalicelib.adapters` implement them against AWS; tests may pass
fakes. Services never import boto3.
"""

from __future__ import annotations

from chalicelib.services.ports.admin_keys import AdminKeyStore
from chalicelib.services.ports.campaigns import (
    Buyer,
    Campaign,
    CampaignLauncher,
    CampaignStore,
    Purchases,
)
from chalicelib.services.ports.customer_lists import (
    CustomerLists,
    CustomerRecords,
    SegmentLists,
    UnreachableList,
)
from chalicelib.services.ports.customers import CustomerRepository, ProfileReader
from chalicelib.services.ports.imports import (
    HistoryFold,
    HistoryWriter,
    ImportFiles,
    ImportRunStore,
)
from chalicelib.services.ports.jobs import JobLauncher, JobRunStore
from chalicelib.services.ports.mail import LinkSigner, MailFeedbackStore, MailSender, Outbox
from chalicelib.services.ports.metrics import MetricsCounters
from chalicelib.services.ports.orders import OrdersRepository, ReturnRepository, StoredOrder
from chalicelib.services.ports.privacy import PrivacyStore, SuppressionList
from chalicelib.services.ports.runtime import Clock, Retrier
from chalicelib.services.ports.settings import CLV_DOCUMENT, RFM_DOCUMENT, SettingsStore
from chalicelib.services.ports.shipments import (
    ShipmentRepository,
    SurveyRepository,
    TrackingPublisher,
)
from chalicelib.services.ports.support import SupportRepository
from chalicelib.services.ports.values import (
    Bonus,
    CustomerValue,
    DerivedUpdate,
    Marker,
    ValueCommit,
    ValueRepository,
)

__all__ = [
    "AdminKeyStore",
    "Bonus",
    "Buyer",
    "CLV_DOCUMENT",
    "Campaign",
    "CampaignLauncher",
    "CampaignStore",
    "Clock",
    "CustomerLists",
    "CustomerRecords",
    "CustomerRepository",
    "CustomerValue",
    "DerivedUpdate",
    "HistoryFold",
    "HistoryWriter",
    "ImportFiles",
    "ImportRunStore",
    "JobLauncher",
    "JobRunStore",
    "LinkSigner",
    "MailFeedbackStore",
    "MailSender",
    "Marker",
    "MetricsCounters",
    "OrdersRepository",
    "Outbox",
    "PrivacyStore",
    "ProfileReader",
    "Purchases",
    "RFM_DOCUMENT",
    "Retrier",
    "ReturnRepository",
    "SegmentLists",
    "SettingsStore",
    "ShipmentRepository",
    "StoredOrder",
    "SupportRepository",
    "SuppressionList",
    "SurveyRepository",
    "TrackingPublisher",
    "UnreachableList",
    "ValueCommit",
    "ValueRepository",
]
