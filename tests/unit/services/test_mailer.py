"""The mailer against in-memory fakes of its ports: claim, live policy, build, send, record."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.message import Message as MimeMessage

import pytest

from chalicelib.domain import messages
from chalicelib.domain.messages import Message, Recipient
from chalicelib.domain.policy import SNAPSHOT_FRESHNESS
from chalicelib.domain.profile import Consents, Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso
from chalicelib.services.deferred_mail import requeue_due
from chalicelib.services.exceptions import ClaimHeld, Unavailable
from chalicelib.services.mailer import MAX_ATTEMPTS, MailerDeps, deliver
from tests.fakes import (
    FakeClock,
    FakeLinkSigner,
    FakeMailSender,
    FakeOutbox,
    FakeProfiles,
    FakeSettingsStore,
)

# 12:00 in Shanghai; quiet hours (21:00 to 09:00 by default) start at 13:00 UTC
NOON_SHANGHAI = datetime(2026, 5, 4, 4, 0, tzinfo=UTC)
NIGHT_SHANGHAI = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)  # 23:00 there


@dataclass
class World:
    clock: FakeClock
    outbox: FakeOutbox
    sender: FakeMailSender
    profiles: FakeProfiles
    deps: MailerDeps

    def status(self, key: str, customer_id: str = "c-1") -> str:
        return str(self.outbox.item(customer_id, key)["status"])

    def reason(self, key: str, customer_id: str = "c-1") -> str:
        return str(self.outbox.item(customer_id, key).get("reason"))

    def mails(self) -> list[MimeMessage]:
        return [
            email.message_from_bytes(mail.raw, policy=email.policy.default)
            for mail in self.sender.sent
        ]


def world(now: datetime = NOON_SHANGHAI, settings: StoreSettings | None = None) -> World:
    clock, outbox, sender, profiles = FakeClock(now), FakeOutbox(), FakeMailSender(), FakeProfiles()
    deps = MailerDeps(
        outbox=outbox,
        settings=FakeSettingsStore(settings),
        sender=sender,
        signer=FakeLinkSigner(),
        clock=clock,
        profiles=profiles,
        mail_from="shop@rapport.test",
        public_base_url="https://rapport.test",
    )
    return World(clock, outbox, sender, profiles, deps)


def profile(**changes: object) -> Profile:
    base = Profile(
        customer_id="c-1",
        email="ana@example.com",
        created_at="2026-05-01T00:00:00.000Z",
        updated_at="2026-05-01T00:00:00.000Z",
        name="安娜",
        locale="zh-CN",
        time_zone="Asia/Shanghai",
        consents=Consents(surveys=True, greetings=True),
    )
    return base.with_changes(**changes)


def queue_welcome(w: World, who: Profile, age: timedelta = timedelta(0)) -> Message:
    """The welcome letter queued ``age`` before now, with ``who`` as its snapshot."""
    message = messages.welcome(who, iso(w.clock.now() - age), None)
    assert w.outbox.enqueue(message)
    return message


def queue_survey(w: World, who: Profile, key: str = "survey#1") -> Message:
    """A non-transactional mail (the welcome template, purpose ``surveys``) queued now."""
    message = Message(
        customer_id=who.customer_id,
        message_key=key,
        template="welcome",
        purpose="surveys",
        recipient=Recipient.of(who),
        created_at=iso(w.clock.now()),
    )
    assert w.outbox.enqueue(message)
    return message


# --- the copy or the live profile -----------------------------------------------------------


def test_a_fresh_transactional_mail_is_sent_on_its_copy_without_reading_the_profile() -> None:
    w = world()
    queue_welcome(w, profile())
    assert deliver("c-1", "welcome", w.deps) == "sent"
    assert w.profiles.reads == 0  # no extra AWS call per signup
    assert w.status("welcome") == "sent"
    assert w.outbox.item("c-1", "welcome")["provider_message_id"] == "fake-1"
    (mail,) = w.mails()
    assert mail["To"] == "安娜 <ana@example.com>"
    assert mail["X-Rapport-Message"] == "welcome"
    assert mail["List-Unsubscribe"] is None  # transactional


def test_a_transactional_mail_older_than_a_minute_is_decided_on_the_live_profile() -> None:
    w = world()
    queue_welcome(w, profile(), age=SNAPSHOT_FRESHNESS + timedelta(seconds=1))
    w.profiles.put(profile(email_status="bounced"))
    assert deliver("c-1", "welcome", w.deps) == "suppressed"
    assert w.profiles.reads == 1
    assert w.reason("welcome") == "address_bounced"
    assert w.sender.sent == []


def test_a_late_mail_goes_to_the_address_the_profile_has_now() -> None:
    w = world()
    queue_welcome(w, profile(), age=timedelta(minutes=5))
    w.profiles.put(profile(email="ana.new@example.com", name="Ana", locale="en"))
    assert deliver("c-1", "welcome", w.deps) == "sent"
    (mail,) = w.mails()
    assert w.sender.sent[0].recipient == "ana.new@example.com"
    assert mail["To"] == "Ana <ana.new@example.com>"
    assert "Welcome" in mail["Subject"]  # the live locale, not the copy's zh-CN


def test_a_non_transactional_mail_reads_the_live_profile_even_when_fresh() -> None:
    w = world()
    queue_survey(w, profile())
    w.profiles.put(profile(consents=Consents(surveys=False)))
    assert deliver("c-1", "survey#1", w.deps) == "suppressed"
    assert w.reason("survey#1") == "no_consent_surveys"
    assert w.sender.sent == []


def test_a_message_whose_profile_is_gone_is_suppressed_with_a_reason() -> None:
    w = world()
    queue_survey(w, profile())  # the profile was erased after the message was queued
    assert deliver("c-1", "survey#1", w.deps) == "suppressed"
    assert w.reason("survey#1") == "profile_gone"
    assert w.sender.sent == []


def test_consent_withdrawn_during_quiet_hours_stops_the_deferred_mail() -> None:
    w = world(now=NIGHT_SHANGHAI)
    w.profiles.put(profile())
    queue_survey(w, profile())
    assert deliver("c-1", "survey#1", w.deps) == "deferred"
    assert w.outbox.item("c-1", "survey#1")["not_before"] == "2026-05-05T01:00:00.000Z"
    w.profiles.put(profile(consents=Consents(surveys=False)))  # withdrawn overnight
    w.clock.advance(timedelta(hours=11))
    assert requeue_due(w.outbox, w.clock) == 1
    assert deliver("c-1", "survey#1", w.deps) == "suppressed"
    assert w.reason("survey#1") == "no_consent_surveys"
    assert w.sender.sent == []


def test_a_deferred_mail_with_consent_kept_is_sent_after_quiet_hours() -> None:
    w = world(now=NIGHT_SHANGHAI)
    w.profiles.put(profile())
    queue_survey(w, profile())
    assert deliver("c-1", "survey#1", w.deps) == "deferred"
    w.clock.advance(timedelta(hours=11))
    assert requeue_due(w.outbox, w.clock) == 1
    assert deliver("c-1", "survey#1", w.deps) == "sent"
    (mail,) = w.mails()
    token = f"unsubscribe:surveys.c-1.{int((w.clock.now() + timedelta(days=365)).timestamp())}"
    assert " ".join(mail["List-Unsubscribe"].split()) == (
        f"<https://rapport.test/v1/unsubscribe?t={token}>, "
        f"<mailto:unsubscribe@rapport.test?subject=unsubscribe%20{token.replace(':', '%3A')}>"
    )


# --- messages that cannot be built --------------------------------------------------------


def test_an_address_ses_cannot_take_is_a_recorded_failure_not_a_poison_record() -> None:
    w = world()
    queue_welcome(w, profile(email="josé@exämple.com"))  # stored before addresses were checked
    assert deliver("c-1", "welcome", w.deps) == "failed"
    assert w.status("welcome") == "failed"
    assert w.reason("welcome") == "address_undeliverable"
    assert "lease_until" not in w.outbox.item("c-1", "welcome")
    assert w.sender.sent == []
    assert deliver("c-1", "welcome", w.deps) == "skipped"  # a redelivery changes nothing


def test_an_internationalized_domain_is_sent_in_its_idna_form() -> None:
    w = world()
    queue_welcome(w, profile(email="ana@exämple.com"))
    assert deliver("c-1", "welcome", w.deps) == "sent"
    assert w.sender.sent[0].recipient == "ana@xn--exmple-cua.com"
    assert w.mails()[0]["To"].endswith("<ana@xn--exmple-cua.com>")


def test_a_template_that_cannot_render_is_a_recorded_failure() -> None:
    w = world()
    message = messages.Message.transactional(
        profile(), "nothing#1", "no_such_template", iso(w.clock.now()), None, None
    )
    w.outbox.enqueue(message)
    assert deliver("c-1", "nothing#1", w.deps) == "failed"
    assert w.reason("nothing#1") == "render_error:TemplateNotFound"


def test_a_bad_header_is_a_recorded_failure() -> None:
    w = world()
    queue_welcome(w, profile(name="Ana\nBcc: everyone@example.com"))
    assert deliver("c-1", "welcome", w.deps) == "failed"
    assert w.reason("welcome") == "mime_error:ValueError"
    assert w.sender.sent == []


def test_one_unbuildable_message_does_not_stop_the_others() -> None:
    w = world()
    bad = profile(customer_id="c-bad", email="josé@exämple.com")
    queue_welcome(w, bad)
    for n in range(3):
        queue_welcome(w, profile(customer_id=f"c-{n}", email=f"p{n}@example.com"))
    outcomes = [deliver(cid, "welcome", w.deps) for cid in ("c-0", "c-bad", "c-1", "c-2")]
    assert outcomes == ["sent", "failed", "sent", "sent"]
    assert sorted(mail.recipient for mail in w.sender.sent) == [
        "p0@example.com",
        "p1@example.com",
        "p2@example.com",
    ]


# --- claims, retries and duplicates ---------------------------------------------------------


def test_a_refused_send_is_queued_again_then_fails_after_the_last_attempt() -> None:
    w = world()
    queue_welcome(w, profile())
    w.sender.refusals = ["MessageRejected"] * MAX_ATTEMPTS
    for _ in range(MAX_ATTEMPTS - 1):
        assert deliver("c-1", "welcome", w.deps) == "retry"
        assert w.status("welcome") == "queued"
        assert w.outbox.item("c-1", "welcome")["last_error"] == "MessageRejected"
    assert deliver("c-1", "welcome", w.deps) == "failed"
    assert w.reason("welcome") == "MessageRejected"


class UnreachableSecretSigner(FakeLinkSigner):
    """A signer whose secret cannot be read (Secrets Manager timing out) until ``back``."""

    back = False

    def sign(self, purpose: str, subject: str, expires_at: datetime) -> str:
        if not self.back:
            raise Unavailable("ReadTimeoutError")
        return super().sign(purpose, subject, expires_at)


def test_a_secret_read_that_times_out_gives_the_claim_back_for_a_later_attempt() -> None:
    w = world()
    signer = UnreachableSecretSigner()
    deps = replace(w.deps, signer=signer)
    queue_welcome(w, profile())
    assert deliver("c-1", "welcome", deps) == "retry"
    assert w.status("welcome") == "queued"  # not left "sending" until its lease runs out
    assert w.outbox.item("c-1", "welcome")["last_error"] == "ReadTimeoutError"
    assert w.sender.sent == []
    signer.back = True
    assert deliver("c-1", "welcome", deps) == "sent"
    assert len(w.sender.sent) == 1


def test_a_secret_that_stays_unreadable_fails_the_message_after_the_last_attempt() -> None:
    w = world()
    deps = replace(w.deps, signer=UnreachableSecretSigner())
    queue_welcome(w, profile())
    for _ in range(MAX_ATTEMPTS - 1):
        assert deliver("c-1", "welcome", deps) == "retry"
    assert deliver("c-1", "welcome", deps) == "failed"
    assert w.reason("welcome") == "ReadTimeoutError"


def test_a_duplicate_record_finds_the_message_claimed_or_sent() -> None:
    w = world()
    w.profiles.put(profile())
    queue_welcome(w, profile())
    w.outbox.claim("c-1", "welcome", w.clock.now())  # another delivery holds the claim
    with pytest.raises(ClaimHeld):
        deliver("c-1", "welcome", w.deps)
    w.clock.advance(timedelta(seconds=61))  # its holder died: the lease ran out
    assert deliver("c-1", "welcome", w.deps) == "sent"
    assert deliver("c-1", "welcome", w.deps) == "skipped"
    assert len(w.sender.sent) == 1


def test_the_weekly_cap_counts_sent_non_transactional_mail() -> None:
    w = world(settings=StoreSettings(frequency_cap_per_week=1))
    w.profiles.put(profile())
    queue_survey(w, profile(), "survey#1")
    queue_survey(w, profile(), "survey#2")
    assert deliver("c-1", "survey#1", w.deps) == "sent"
    assert deliver("c-1", "survey#2", w.deps) == "suppressed"
    assert w.reason("survey#2") == "frequency_cap"


# --- the suppression list -------------------------------------------------------------------


class FakeSuppressions:
    """Suppressed addresses in memory (normalized as the real list normalizes them)."""

    def __init__(self, *emails: str) -> None:
        self.reasons = {e.strip().casefold(): "erased" for e in emails}

    def add(self, email: str, reason: str, at: str) -> None:
        self.reasons[email.strip().casefold()] = reason

    def reason(self, email: str) -> str | None:
        return self.reasons.get(email.strip().casefold())


def test_a_suppressed_address_is_not_mailed() -> None:
    w = world()
    w.deps = MailerDeps(**{**w.deps.__dict__, "suppressions": FakeSuppressions("ANA@example.com")})
    w.profiles.put(profile())
    queue_welcome(w, profile(), age=SNAPSHOT_FRESHNESS * 2)  # decided on the live profile
    assert deliver("c-1", "welcome", w.deps) == "suppressed"
    assert w.status("welcome") == "suppressed" and w.reason("welcome") == "erased"
    assert w.sender.sent == []


def test_an_address_not_on_the_list_is_mailed() -> None:
    w = world()
    w.deps = MailerDeps(**{**w.deps.__dict__, "suppressions": FakeSuppressions("bo@example.com")})
    w.profiles.put(profile())
    queue_welcome(w, profile(), age=SNAPSHOT_FRESHNESS * 2)
    assert deliver("c-1", "welcome", w.deps) == "sent"
