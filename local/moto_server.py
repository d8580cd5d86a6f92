"""An embedded moto server that handles one request at a time.

moto's DynamoDB backend is not safe under concurrent requests: a ``TransactWriteItems``
checks its conditions and writes its items without a lock, so another request can slip
between them, and a rollback can undo a write made meanwhile. Real DynamoDB is
serializable, so the local stack serializes the requests moto sees (a lock around its
WSGI app) instead of letting the emulator lose writes; the rollback itself is
:mod:`local.moto_transactions`'s. Throughput stays well above what one developer's
store sends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from local import moto_transactions


class SerializedApp:
    """A WSGI app that lets one request at a time into ``app``."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self._lock:
            return list(self._app(environ, start_response))


class SerializedMotoServer(ThreadedMotoServer):
    """:class:`ThreadedMotoServer` whose backend sees one request at a time."""

    def _server_entry(self) -> None:
        moto_transactions.install()
        app = SerializedApp(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()
