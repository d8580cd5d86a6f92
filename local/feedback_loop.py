"""The local stack's mail feedback: SES's simulator answers, and SNS topics' deliveries.

Each tick it reads the mail SES accepted (the mail viewer's source), publishes on the
SES feedback topic what SES's mailbox simulator would for the simulator's addresses
(:mod:`local.ses_simulator`), and hands every message published on a subscribed topic to
its handler (:mod:`local.sns_delivery`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from local.ses_receiving import received_notifications
from local.ses_simulator import notifications_for
from local.sns_delivery import SnsDelivery, subscribe

log = logging.getLogger("rapport.feedback")

MailSource = Callable[[], list[dict[str, Any]]]


class FeedbackLoop(threading.Thread):
    """Simulator notifications and SNS deliveries, every ``tick_seconds``."""

    def __init__(
        self,
        deliveries: list[SnsDelivery],
        mail_source: MailSource,
        sns: Any,
        feedback_topic_arn: str,
        stop: threading.Event,
        tick_seconds: float = 0.25,
        inbound: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(name="mail-feedback", daemon=True)
        self.deliveries = deliveries
        self._mail_source = mail_source
        self._sns = sns
        self._topic = feedback_topic_arn
        self._stop_event = stop
        self._tick = tick_seconds
        self._seen: set[str] = set()
        self.published = 0
        self._inbound = inbound  # (the unsubscribe address, its receipt rule's topic)

    def simulate(self) -> int:
        """Publish the simulator's notifications for mail not seen yet; returns how many."""
        count = 0
        for mail in self._mail_source():
            if mail["id"] in self._seen:
                continue
            self._seen.add(mail["id"])
            for body in notifications_for(mail):
                self._sns.publish(TopicArn=self._topic, Message=json.dumps(body))
                count += 1
            count += self._receive(mail)
        self.published += count
        return count

    def step(self) -> int:
        """One tick: simulate, then deliver; returns the messages delivered."""
        self.simulate()
        return sum(delivery.poll() for delivery in self.deliveries)

    def _receive(self, mail: dict[str, Any]) -> int:
        """Publish what SES's receipt rule would for a mail to the inbound address."""
        if self._inbound is None:
            return 0
        address, topic = self._inbound
        bodies = received_notifications(mail, address, topic)
        for body in bodies:
            self._sns.publish(TopicArn=topic, Message=json.dumps(body))
        return len(bodies)

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.step()
            except Exception:
                log.exception("mail feedback tick failed")
            self._stop_event.wait(self._tick)


def feedback_loop(
    app: Any, session: Any, env: dict[str, str], mail_source: MailSource, stop: threading.Event
) -> FeedbackLoop:
    """Subscribe every topic handler declared in ``infra.resources`` and build the loop."""
    from chalicelib.domain.unsubscribe_mail import unsubscribe_address
    from infra.resources import SES_FEEDBACK_TOPIC, SNS_CONSUMERS, UNSUBSCRIBE_MAIL_TOPIC

    deliveries = [
        subscribe(app, session, env, handler, topic.env) for handler, topic in SNS_CONSUMERS
    ]
    topic_arn = env[SES_FEEDBACK_TOPIC.env]
    inbound = (unsubscribe_address(env["RAPPORT_MAIL_FROM"]), env[UNSUBSCRIBE_MAIL_TOPIC.env])
    sns = session.client("sns")
    return FeedbackLoop(deliveries, mail_source, sns, topic_arn, stop, inbound=inbound)
