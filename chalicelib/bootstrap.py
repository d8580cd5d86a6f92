"""Wire adapters into services. Clients are created lazily, once per container.

Nothing here runs at import time: the first use builds the boto3 session and clients
(honouring ``AWS_ENDPOINT_URL``, so the same code talks to AWS, moto or LocalStack) and
installs the fault plan of ``RAPPORT_FAULTS`` when one is configured.
"""

from __future__ import annotations

import os
import threading
from functools import cached_property
from typing import TYPE_CHECKING, Any

from chalicelib.config import Config

if TYPE_CHECKING:  # for annotations only: adapters and services are imported on first use
    from typing import Protocol

    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    from chalicelib.adapters.activity_repository import DynamoActivity
    from chalicelib.adapters.faults import FaultPlan
    from chalicelib.adapters.metrics_store import DynamoMetrics
    from chalicelib.adapters.placed_values import DynamoPlacedValues
    from chalicelib.adapters.secrets import ManagedSecret
    from chalicelib.adapters.suppressions import DynamoSuppressions
    from chalicelib.campaign_wiring import CampaignWiring
    from chalicelib.services.admin_keys import AdminKeyDeps
    from chalicelib.services.co_purchases_job import OrderScan
    from chalicelib.services.customer_value_job import CustomerValueStore
    from chalicelib.services.engagement import OccasionIndex
    from chalicelib.services.erasure import ErasureDeps
    from chalicelib.services.export import ExportDeps
    from chalicelib.services.fanout import FanoutDeps
    from chalicelib.services.fanout_ports import SegmentQueue
    from chalicelib.services.imports import ImportDeps
    from chalicelib.services.job_runs import JobRunDeps
    from chalicelib.services.jobs import JobDeps
    from chalicelib.services.mail_feedback import FeedbackDeps as MailFeedbackDeps
    from chalicelib.services.mailer import MailerDeps
    from chalicelib.services.ports import (
        Clock,
        CustomerLists,
        CustomerRecords,
        CustomerRepository,
        JobLauncher,
        LinkSigner,
        MailSender,
        OrdersRepository,
        Outbox,
        SegmentLists,
        SettingsStore,
        UnreachableList,
    )
    from chalicelib.services.profile_changes import ProfileChangeDeps
    from chalicelib.services.replenishment import ReplenishmentDeps
    from chalicelib.services.reviews import ReviewDeps
    from chalicelib.services.satisfaction_surveys import SurveyJobDeps
    from chalicelib.services.shipments import ShipmentDeps
    from chalicelib.services.support import SupportDeps
    from chalicelib.services.unsubscribe_mail import UnsubscribeMailDeps
    from chalicelib.services.value_facts import OrderDeps
    from chalicelib.services.win_back import WinBackLog

    class CustomerValueProfiles(CustomerValueStore, SegmentLists, Protocol):
        """The customer-value job's profiles and the lists read from the same index."""


class Container:
    """The object graph of one Lambda container (or one local process)."""

    def __init__(self, config: Config | None = None, session: Any = None) -> None:
        self._config = config
        self._session = session
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    @cached_property
    def config(self) -> Config:
        """Configuration from the environment."""
        return self._config or Config.from_environment()

    @cached_property
    def faults(self) -> FaultPlan:
        """The fault plan (empty unless ``RAPPORT_FAULTS`` is set)."""
        from chalicelib.adapters.faults import plan_from_environment

        return plan_from_environment()

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` (created once, thread-safe)."""
        with self._lock:
            if service not in self._clients:
                import boto3
                from botocore.config import Config as BotoConfig

                from chalicelib.adapters import unavailability
                from chalicelib.adapters.faults import install

                session = self._session or boto3.session.Session()
                client = session.client(
                    service,
                    config=BotoConfig(
                        retries={"mode": "standard", "max_attempts": 3},
                        connect_timeout=2,
                        read_timeout=5,
                        # presigned links to KMS-encrypted objects need Signature V4
                        **({"signature_version": "s3v4"} if service == "s3" else {}),
                    ),
                )
                install(client, service, self.faults)
                unavailability.install(client)
                self._clients[service] = client
            return self._clients[service]

    @cached_property
    def clock(self) -> Clock:
        """The system clock."""
        from chalicelib.adapters.clock import SystemClock

        return SystemClock()

    @cached_property
    def customers(self) -> CustomerRepository:
        """The customer repository."""
        from chalicelib.adapters.customers_repository import DynamoCustomerRepository

        return DynamoCustomerRepository(
            self.client("dynamodb"),
            self.config.customers_table,
            self.config.timeline_table,
            self.suppressions,
        )

    @cached_property
    def outbox(self) -> Outbox:
        """The messages outbox."""
        from chalicelib.adapters.outbox import DynamoOutbox

        return DynamoOutbox(
            self.client("dynamodb"),
            self.config.messages_table,
            self.config.customers_table,
            self.metrics,
        )

    @cached_property
    def metrics(self) -> DynamoMetrics:
        """The store's daily counters (the metrics table)."""
        from chalicelib.adapters.metrics_store import DynamoMetrics

        return DynamoMetrics(self.client("dynamodb"), self.config.metrics_table, self.settings)

    @cached_property
    def win_back_log(self) -> WinBackLog:
        """Where the last win-back letter of a customer is found."""
        from chalicelib.adapters.win_back_log import DynamoWinBackLog

        return DynamoWinBackLog(self.client("dynamodb"), self.config.messages_table)

    @cached_property
    def settings(self) -> SettingsStore:
        """The settings store."""
        from chalicelib.adapters.settings_store import DynamoSettingsStore

        return DynamoSettingsStore(self.client("dynamodb"), self.config.settings_table)

    @cached_property
    def signer(self) -> LinkSigner:
        """The link signer."""
        from chalicelib.adapters.signer import HmacLinkSigner
        from chalicelib.config import SIGNING_SECRET_VARIABLE

        return HmacLinkSigner(self.secret(self.config.signing_secret_arn, SIGNING_SECRET_VARIABLE))

    @cached_property
    def suppressions(self) -> DynamoSuppressions:
        """The suppression list (keyed hashes of erased addresses)."""
        from chalicelib.adapters.suppressions import AddressHasher, DynamoSuppressions
        from chalicelib.config import SIGNING_SECRET_VARIABLE

        secret = self.secret(self.config.signing_secret_arn, SIGNING_SECRET_VARIABLE)
        hasher = AddressHasher(secret)
        return DynamoSuppressions(self.client("dynamodb"), self.config.customers_table, hasher)

    @cached_property
    def erasure(self) -> ErasureDeps:
        """What an erasure needs."""
        from chalicelib.adapters.privacy_store import DynamoPrivacyStore
        from chalicelib.services.erasure import ErasureDeps

        store = DynamoPrivacyStore(self.client("dynamodb"), self.config)
        return ErasureDeps(store=store, suppressions=self.suppressions, clock=self.clock)

    @cached_property
    def export(self) -> ExportDeps:
        """What an export needs."""
        from chalicelib.services.export import ExportDeps

        return ExportDeps(
            store=self.erasure.store,
            customers=self.customers,
            settings=self.settings,
            clock=self.clock,
        )

    @cached_property
    def secrets(self) -> SecretsProvider:
        """Powertools' Secrets Manager provider, on this container's client.

        The client comes from :meth:`client`, so ``AWS_ENDPOINT_URL`` and the fault plan
        apply to secret reads as to every other call.
        """
        from aws_lambda_powertools.utilities.parameters import SecretsProvider

        return SecretsProvider(boto3_client=self.client("secretsmanager"))

    def secret(self, secret_arn: str | None, variable: str) -> ManagedSecret:
        """The value of one secret, read on use (raises when this function has none)."""
        from chalicelib.adapters.secrets import ManagedSecret

        return ManagedSecret(self.secrets, secret_arn, variable)

    @cached_property
    def mailer(self) -> MailerDeps:
        """Everything the mailer service needs."""
        from chalicelib.adapters.ses_sender import SesSender
        from chalicelib.services.mailer import MailerDeps

        return MailerDeps(
            outbox=self.campaigns.outbox_for_mailer,  # a cancelled campaign's mail stops
            settings=self.settings,
            sender=self._paced(SesSender(self.client("sesv2"), self.config.configuration_set)),
            signer=self.signer,
            clock=self.clock,
            profiles=self.customers,
            suppressions=self.suppressions,
            mail_from=self.config.mail_from,
            public_base_url=self.config.public_base_url,
        )

    def _paced(self, sender: MailSender) -> MailSender:
        """On AWS, sends paced under SES's ``MaxSendRate`` (the local SES has no quota)."""
        if self.config.local:
            return sender
        from chalicelib.adapters.paced_sender import MAILER_CONCURRENCY, PacedSender, max_send_rate

        ses = self.client("sesv2")
        return PacedSender(sender, lambda: max_send_rate(ses), MAILER_CONCURRENCY)

    @cached_property
    def admin_keys(self) -> AdminKeyDeps:
        """The admin keys the API issues, and the secret their digests are keyed with."""
        from chalicelib.adapters.admin_keys_store import DynamoAdminKeys
        from chalicelib.config import ADMIN_KEYS_SECRET_VARIABLE
        from chalicelib.services.admin_keys import AdminKeyDeps

        return AdminKeyDeps(
            keys=DynamoAdminKeys(self.client("dynamodb"), self.config.keys_table),
            secret=self.secret(self.config.admin_keys_secret_arn, ADMIN_KEYS_SECRET_VARIABLE),
            clock=self.clock,
        )

    @cached_property
    def feedback(self) -> MailFeedbackDeps:
        """What the SES feedback handler needs."""
        from chalicelib.adapters.feedback_store import DynamoFeedbackStore
        from chalicelib.services.mail_feedback import FeedbackDeps

        config = self.config
        store = DynamoFeedbackStore(
            self.client("dynamodb"),
            config.messages_table,
            config.customers_table,
            config.settings_table,
            self.metrics,
        )
        return FeedbackDeps(store, self.customers, self.settings, self.clock)

    @cached_property
    def unsubscribe_mail(self) -> UnsubscribeMailDeps:
        """What the handler of mail to the ``unsubscribe`` address needs."""
        from chalicelib.services.unsubscribe_mail import UnsubscribeMailDeps

        return UnsubscribeMailDeps(self.customers, self.signer, self.clock, self.config.mail_from)

    @cached_property
    def profile_changes(self) -> ProfileChangeDeps:
        """Counting each profile change once (a welcome letter in the same write), and its
        events on the store's bus."""
        from chalicelib.adapters.counting_outbox import DynamoCountingOutbox
        from chalicelib.adapters.event_bus import EventBridgeProfileEvents
        from chalicelib.adapters.profile_counts import DynamoProfileCounts
        from chalicelib.domain.profile_changes import EVENT_SOURCE
        from chalicelib.services.profile_changes import ProfileChangeDeps

        config, client = self.config, self.client("dynamodb")
        bus = EventBridgeProfileEvents(self.client("events"), config.event_bus, EVENT_SOURCE)
        counts = DynamoProfileCounts(client, config.counts_table)
        outbox = DynamoCountingOutbox(
            client, config.messages_table, config.customers_table, self.metrics, counts
        )
        return ProfileChangeDeps(counts, bus, self.clock, outbox)

    @cached_property
    def unreachable(self) -> UnreachableList:
        """Profiles with no deliverable contact (the admin list)."""
        from chalicelib.adapters.unreachable_list import DynamoUnreachableList

        return DynamoUnreachableList(self.client("dynamodb"), self.config.customers_table)

    @cached_property
    def customer_lists(self) -> CustomerLists:
        """The admin's lists of customers (tier, loyalty, segment, top, signups, search)."""
        from chalicelib.adapters.customer_lists import DynamoCustomerLists

        return DynamoCustomerLists(self.client("dynamodb"), self.config.customers_table)

    @cached_property
    def customer_records(self) -> CustomerRecords:
        """One customer's orders, parcels and messages, newest first (the admin lists)."""
        from chalicelib.adapters.customer_records import DynamoCustomerRecords

        config = self.config
        return DynamoCustomerRecords(
            self.client("dynamodb"),
            config.orders_table,
            config.shipments_table,
            config.messages_table,
        )

    # --- orders and customer value ---

    @cached_property
    def customer_value_store(self) -> CustomerValueProfiles:
        """Profiles for the nightly customer-value job; segment and loyalty lists."""
        from chalicelib.adapters.customer_value_store import DynamoCustomerValueStore

        return DynamoCustomerValueStore(
            self.client("dynamodb"), self.config.customers_table, self.settings
        )

    @cached_property
    def orders(self) -> OrdersRepository:
        """The orders repository."""
        from chalicelib.adapters.orders_repository import DynamoOrdersRepository

        return DynamoOrdersRepository(
            self.client("dynamodb"), self.config.orders_table, self.config.customers_table
        )

    @cached_property
    def values(self) -> DynamoPlacedValues:
        """Profiles' value attributes and fact markers (an order's count with its
        purchases, its reads in one request)."""
        from chalicelib.adapters.placed_values import DynamoPlacedValues
        from chalicelib.adapters.settings_store import DynamoSettingsStore

        tables = {
            "customers": self.config.customers_table,
            "timeline": self.config.timeline_table,
            "messages": self.config.messages_table,
            "orders": self.config.orders_table,
        }
        settings = self.settings if isinstance(self.settings, DynamoSettingsStore) else None
        return DynamoPlacedValues(self.client("dynamodb"), tables, self.metrics, settings)

    @cached_property
    def replenishment_deps(self) -> ReplenishmentDeps:
        """Replenishable purchases: kept by the orders stream, reminded by their job."""
        from chalicelib.adapters.replenishment_store import DynamoReplenishments
        from chalicelib.services.replenishment import ReplenishmentDeps

        return ReplenishmentDeps(
            store=DynamoReplenishments(self.client("dynamodb"), self.config.timeline_table),
            settings=self.settings,
            outbox=self.outbox,
            profiles=self.customers,
            clock=self.clock,
        )

    @cached_property
    def order_deps(self) -> OrderDeps:
        """What the orders stream needs."""
        from chalicelib.services.value_facts import OrderDeps

        return OrderDeps(
            values=self.values,
            orders=self.orders,
            settings=self.settings,
            clock=self.clock,
            placed=self.values,
        )

    @cached_property
    def reviews(self) -> ReviewDeps:
        """Reviews of received orders and the coupons they earn."""
        from chalicelib.adapters.reviews_repository import DynamoReviews
        from chalicelib.services.reviews import ReviewDeps

        shipments = self.shipment_deps.shipments
        store = DynamoReviews(self.client("dynamodb"), self.config.orders_table)
        return ReviewDeps(
            store, shipments, self.customers, self.outbox, self.signer, self.settings, self.clock
        )

    @cached_property
    def imports(self) -> ImportDeps:
        """Bulk imports: their runs, the imports bucket and the batched history writer."""
        from chalicelib.adapters.history_writer import DynamoHistoryWriter
        from chalicelib.adapters.import_store import DynamoImportRunStore, S3ImportFiles
        from chalicelib.services.import_orders import HistoryDeps
        from chalicelib.services.imports import ImportDeps

        config = self.config
        writer = DynamoHistoryWriter(
            self.client("dynamodb"),
            config.customers_table,
            config.timeline_table,
            config.orders_table,
        )
        return ImportDeps(
            runs=DynamoImportRunStore(self.client("dynamodb"), config.settings_table),
            files=S3ImportFiles(self.client("s3"), config.imports_bucket),
            customers=self.customers,
            history=HistoryDeps(
                writer=writer, settings=self.settings, clock=self.clock, purchases=writer
            ),
            clock=self.clock,
        )

    # --- shipments and returns ---

    @cached_property
    def shipment_deps(self) -> ShipmentDeps:
        """Everything the shipment, tracking, survey and return use cases need."""
        from chalicelib.adapters.returns_repository import DynamoReturns
        from chalicelib.adapters.shipments_repository import DynamoShipments
        from chalicelib.adapters.sns_publisher import SnsTrackingPublisher
        from chalicelib.adapters.surveys_repository import DynamoSurveys
        from chalicelib.config import CARRIER_SECRET_VARIABLE
        from chalicelib.services.shipments import ShipmentDeps

        dynamodb = self.client("dynamodb")
        return ShipmentDeps(
            shipments=DynamoShipments(
                dynamodb, self.config.shipments_table, self.config.orders_table
            ),
            returns=DynamoReturns(dynamodb, self.config.orders_table),
            surveys=DynamoSurveys(dynamodb, self.config.timeline_table),
            publisher=SnsTrackingPublisher(self.client("sns"), self.config.tracking_topic_arn),
            outbox=self.outbox,
            customers=self.customers,
            settings=self.settings,
            signer=self.signer,
            clock=self.clock,
            public_base_url=self.config.public_base_url,
            carrier_secret=self.secret(self.config.carrier_secret_arn, CARRIER_SECRET_VARIABLE),
        )

    # --- support ---

    @cached_property
    def support_deps(self) -> SupportDeps:
        """The support inbox: tickets, profiles, orders, settings."""
        from chalicelib.adapters.support_repository import DynamoSupport
        from chalicelib.services.support import SupportDeps

        return SupportDeps(
            support=DynamoSupport(
                self.client("dynamodb"),
                self.config.support_table,
                self.config.messages_table,
                self.config.customers_table,
            ),
            customers=self.customers,
            orders=self.orders,
            settings=self.settings,
            clock=self.clock,
        )

    # --- shop activity ---

    @cached_property
    def activity(self) -> DynamoActivity:
        """Events, carts and product views (``POST /v1/events``, the cart-reminders job)."""
        from chalicelib.adapters.activity_repository import DynamoActivity

        config = self.config
        return DynamoActivity(
            self.client("dynamodb"),
            config.activity_table,
            config.customers_table,
            config.orders_table,
        )

    @cached_property
    def campaigns(self) -> CampaignWiring:
        """Product-update campaigns: their store, fan-out and the mailer's outbox."""
        from chalicelib.campaign_wiring import CampaignWiring

        return CampaignWiring(self)

    # --- jobs ---

    @cached_property
    def job_deps(self) -> JobDeps:
        """What the jobs need (on their schedule and when an admin asks for a run)."""
        from chalicelib.services.jobs import JobDeps

        return JobDeps(
            outbox=self.outbox,
            settings=self.settings,
            order_scan=self.order_scan,
            customer_value_store=self.customer_value_store,
            clock=self.clock,
            replenishment=self.replenishment_deps,
            occasion_index=self.occasion_index,
            carts=self.activity,
            profiles=self.customers,
            surveys=self.survey_job_deps,
            campaigns=self.campaigns.deps,
        )

    @cached_property
    def order_scan(self) -> OrderScan:
        """The orders as the co-purchases job reads them: a scan segment at a time."""
        from chalicelib.adapters.order_scan import DynamoOrderScan

        return DynamoOrderScan(self.client("dynamodb"), self.config.orders_table)

    @cached_property
    def occasion_index(self) -> OccasionIndex:
        """The customers of a day: birthday, anniversary and learned-occasion indexes."""
        from chalicelib.adapters.occasion_index import DynamoOccasionIndex

        return DynamoOccasionIndex(self.client("dynamodb"), self.config.customers_table)

    @cached_property
    def survey_job_deps(self) -> SurveyJobDeps:
        """What the monthly satisfaction survey job needs."""
        from chalicelib.adapters.survey_audience import DynamoSurveyAudience
        from chalicelib.services.satisfaction_surveys import SurveyJobDeps

        config = self.config
        audience = DynamoSurveyAudience(
            self.client("dynamodb"), config.orders_table, config.messages_table
        )
        return SurveyJobDeps(audience, self.customers, self.outbox)

    @cached_property
    def job_runs(self) -> JobRunDeps:
        """Queue admin-requested job runs and run them in the job's function.

        On AWS the request goes out on EventBridge. Locally (``RAPPORT_LOCAL=1``) the run
        is executed in this process: on a thread when ``RAPPORT_JOBS_BACKGROUND=1`` (the
        local stack, so a long job does not hold the API), otherwise at once (tests).
        """
        from chalicelib.adapters.job_launcher import EventBridgeJobLauncher, InProcessJobLauncher
        from chalicelib.adapters.job_runs_store import DynamoJobRunStore
        from chalicelib.services.job_runs import JobRunDeps

        launcher: JobLauncher
        if self.config.local:
            background = os.environ.get("RAPPORT_JOBS_BACKGROUND") == "1"
            launcher = InProcessJobLauncher(self._run_requested, background)
        else:
            launcher = EventBridgeJobLauncher(self.client("events"))
        store = DynamoJobRunStore(self.client("dynamodb"), self.config.settings_table)
        return JobRunDeps(
            runs=store, launcher=launcher, clock=self.clock, jobs=self.job_deps, fanout=self.fanout
        )

    @cached_property
    def fanout(self) -> FanoutDeps:
        """The nightly jobs' segments: SQS and the segment function on AWS, this process
        locally (``RAPPORT_LOCAL=1`` or no queue configured)."""
        from chalicelib.adapters.fanout_store import DynamoFanoutStore
        from chalicelib.adapters.job_runs_store import DynamoJobRunStore
        from chalicelib.adapters.segment_queue import InProcessSegmentQueue, SqsSegmentQueue
        from chalicelib.services.fanout import FanoutDeps

        queue: SegmentQueue
        url = self.config.segments_queue_url
        if self.config.local or not url:
            queue = InProcessSegmentQueue(self.run_segment)
        else:
            queue = SqsSegmentQueue(self.client("sqs"), url)
        dynamodb, table = self.client("dynamodb"), self.config.settings_table
        return FanoutDeps(
            queue=queue,
            store=DynamoFanoutStore(dynamodb, table, self.clock.now),
            runs=DynamoJobRunStore(dynamodb, table),
            jobs=self.job_deps,
            clock=self.clock,
        )

    def run_segment(self, task: dict[str, Any]) -> dict[str, Any]:
        """Run one segment task of a fanned-out job (the segment function's body)."""
        from chalicelib.services.fanout import handle_task

        return handle_task(task, self.fanout)

    def _run_requested(self, detail: dict[str, Any]) -> dict[str, Any]:
        """Run a requested run in this process (the local stand-in for the job's function)."""
        from chalicelib.observability import flush_metrics
        from chalicelib.services.job_runs import execute_run

        try:
            return execute_run(str(detail.get("job")), str(detail.get("run_id")), self.job_runs)
        finally:
            flush_metrics()


_container: Container | None = None
_container_lock = threading.Lock()


def container() -> Container:
    """The process-wide container (built on first use)."""
    global _container
    with _container_lock:
        if _container is None:
            _container = Container()
        return _container


def reset(new: Container | None = None) -> None:
    """Replace the process-wide container (tests, and the local stack after provisioning)."""
    global _container
    with _container_lock:
        _container = new
