"""In-memory fakes of the service ports, for unit tests of services (no AWS, no moto).

Each fake keeps its adapter's contract in a few lines: the same conditions, the same
return values and the same errors, so a service tested against the fake behaves the
same against the adapter (whose own contract is tested against moto).

One module per service area that uses them; add a module (and re-export its fakes
here) rather than growing another's. Tests import from the package
(``from tests.fakes import X``).
"""

from __future__ import annotations

from tests.fakes.activity import FakeActivity
from tests.fakes.admin_keys import FakeAdminKeys
from tests.fakes.customers import FakeCustomers
from tests.fakes.mailer import (
    FakeClock,
    FakeLinkSigner,
    FakeMailSender,
    FakeProfiles,
    FakeSettingsStore,
    SentMail,
)
from tests.fakes.outbox import FakeOutbox, FenceLost
from tests.fakes.support import FakeSupport
from tests.fakes.values import FakeOrders, FakeValues, FakeValueSettings

__all__ = [
    "FakeActivity",
    "FakeAdminKeys",
    "FakeClock",
    "FakeCustomers",
    "FakeLinkSigner",
    "FakeMailSender",
    "FakeOrders",
    "FakeOutbox",
    "FakeProfiles",
    "FakeSettingsStore",
    "FakeSupport",
    "FakeValueSettings",
    "FakeValues",
    "FenceLost",
    "SentMail",
]
