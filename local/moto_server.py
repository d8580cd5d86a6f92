"""An embedded moto server that handles one request at a time, over kept-alive connections.

moto's DynamoDB backend is not safe under concurrent requests: a ``TransactWriteItems``
checks its conditions and writes its items without a lock, so another request can slip
between them, and a rollback can undo a write made meanwhile. Real DynamoDB is
serializable, so the local stack serializes the requests moto sees (a lock around its
WSGI app) instead of letting the emulator lose writes; the rollback itself is
:mod:`local.moto_transactions`'s.

Werkzeug's development server (moto's own) closes the connection after every answer and
starts a thread per connection, so each AWS call paid a TCP connect and a new server
thread (measured: about a seventh of the stream handlers' time). The app is served by
waitress instead: HTTP/1.1 kept-alive connections and a fixed pool of threads.
Attribute values are serialized directly (:mod:`local.moto_serializer`), and the backend
of each host is looked up once (:class:`RememberingDispatcher`).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from waitress.server import create_server  # type: ignore[import-untyped]

from local import moto_conditions, moto_queries, moto_serializer, moto_transactions, moto_updates

THREADS = 16  # connections served at once: API, pumps, scheduler and the job's segments


def install_write_paths() -> None:
    """The faster write paths of the import bench (each module says what it replaces)."""
    from local import (
        moto_attribute_maps,
        moto_dispatch,
        moto_item_json,
        moto_lexing,
        moto_parser,
        moto_transaction_tokens,
        moto_update_copies,
    )

    moto_attribute_maps.install()
    moto_conditions.install()
    moto_dispatch.install()
    moto_lexing.install()
    moto_item_json.install()
    moto_parser.install()
    moto_transaction_tokens.install()
    moto_update_copies.install()


class SerializedApp:
    """A WSGI app that lets one request at a time into ``app``, its body read whole."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        with self._lock:
            return list(self._app(environ, start_response))


class RememberingDispatcher(DomainDispatcherApplication):
    """moto's dispatcher, remembering which backend serves each host.

    moto finds the backend of every request by listing its own package directory and
    matching the host against every service's URL patterns (measured: a fifth of its
    time per request). The answer for a host never changes while the server runs.
    """

    def __init__(self, create_app: Callable[..., Any]) -> None:
        super().__init__(create_app)
        self._backends: dict[str | None, Any] = {}

    def get_backend_for_host(self, host: str | None) -> Any:
        if host not in self._backends:
            self._backends[host] = super().get_backend_for_host(host)
        return self._backends[host]


class SerializedMotoServer(ThreadedMotoServer):
    """:class:`ThreadedMotoServer` whose backend sees one request at a time, under waitress."""

    def _server_entry(self) -> None:
        moto_transactions.install()
        moto_serializer.install()
        moto_updates.install()
        moto_queries.install()
        install_write_paths()
        app = SerializedApp(RememberingDispatcher(create_backend_app))
        self._waitress = create_server(
            app, host=self._ip_address, port=self._port, threads=THREADS, ident="moto"
        )
        self._server_ready_event.set()
        self._waitress.run()

    def get_host_and_port(self) -> tuple[str, int]:
        return self._ip_address, int(self._waitress.effective_port)

    def stop(self) -> None:
        self._server_ready_event.clear()
        self._waitress.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
