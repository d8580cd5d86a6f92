"""``make run``: the whole of Rapport on this machine, no Docker, no AWS account.

Starts moto in a child process (unless ``AWS_ENDPOINT_URL`` points elsewhere), creates
every resource from ``infra/``, pumps every DynamoDB stream into the real handlers,
runs the schedules, serves the mail viewer and, last, the API. Ctrl-C stops it all.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Ports:
    """Where things listen."""

    api: int = 8000
    aws: int = 5000
    mail: int = 8025
    host: str = "127.0.0.1"

    @classmethod
    def from_environment(cls) -> Ports:
        """``RAPPORT_PORT``, ``RAPPORT_AWS_PORT``, ``RAPPORT_MAIL_PORT``."""
        return cls(
            api=int(os.environ.get("RAPPORT_PORT", "8000")),
            aws=int(os.environ.get("RAPPORT_AWS_PORT", "5000")),
            mail=int(os.environ.get("RAPPORT_MAIL_PORT", "8025")),
        )


@dataclass
class LocalStack:
    """The running pieces, so they can be stopped (and inspected by tests and the bench)."""

    ports: Ports
    stop: threading.Event = field(default_factory=threading.Event)
    moto: Any = None
    servers: list[Any] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)
    pumps: list[Any] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def shutdown(self) -> None:
        """Stop everything, API first so no new facts arrive."""
        self.stop.set()
        for server in self.servers:
            server.shutdown()
        for thread in self.threads:
            thread.join(timeout=5)
        if self.moto is not None:
            self.moto.stop()


def _aws_environment(ports: Ports) -> tuple[str, Any]:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ["AWS_ACCOUNT_ID_ENDPOINT_MODE"] = "disabled"
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    moto = None
    if not endpoint:
        from local.moto_process import MotoProcess

        moto = MotoProcess(ports.host, ports.aws)  # a core of its own (local/moto_process.py)
        moto.start()
        endpoint = moto.endpoint
        os.environ["AWS_ENDPOINT_URL"] = endpoint
    return endpoint, moto


def _serve(server: Any, name: str, stack: LocalStack) -> None:
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    stack.servers.append(server)
    stack.threads.append(thread)


def start(ports: Ports | None = None) -> LocalStack:
    """Start the stack and return once ``GET /v1/health`` can answer."""
    import boto3

    from infra.provision import create_all
    from infra.resources import IMPORTS_BUCKET

    ports = ports or Ports.from_environment()
    stack = LocalStack(ports)
    endpoint, stack.moto = _aws_environment(ports)
    session = boto3.session.Session()
    stack.env = create_all(session)
    os.environ.update(stack.env)
    os.environ["RAPPORT_LOCAL"] = "1"
    os.environ["RAPPORT_JOBS_BACKGROUND"] = "1"  # admin-requested jobs run beside the API
    os.environ.setdefault("RAPPORT_PUBLIC_BASE_URL", f"http://{ports.host}:{ports.api}")

    import app as app_module
    from chalicelib.adapters.faults import plan_from_environment
    from local import mailbox
    from local.api_server import api_server
    from local.holds import held_pumps
    from local.mailviewer import serve as mail_server
    from local.moto_process import from_mail_route
    from local.pump import PumpThread, pumps_for_app
    from local.s3_events import S3EventPoller
    from local.scheduler import Scheduler

    faults = plan_from_environment()
    stack.pumps = pumps_for_app(app_module.app, session, stack.env, faults)
    # One poller per event source mapping, as Lambda runs them: a slow mailer never
    # holds back order facts. Each still reads its shard in order, one batch at a time.
    pollers = [PumpThread([pump], stack.stop) for pump in held_pumps(stack.pumps)]
    scheduler = Scheduler(app_module.app, stack.stop)
    uploads = S3EventPoller(
        app_module.on_import_upload, session, stack.env[IMPORTS_BUCKET.env], stack.stop
    )
    for thread in (*pollers, scheduler, uploads):
        thread.start()
        stack.threads.append(thread)

    def source() -> list[dict[str, Any]]:
        if stack.moto is not None:
            return from_mail_route(endpoint)
        return mailbox.from_moto_server(endpoint)

    from local.feedback_loop import feedback_loop

    stack.threads.append(feedback_loop(app_module.app, session, stack.env, source, stack.stop))
    stack.threads[-1].start()
    _serve(mail_server(ports.host, ports.mail, source), "mail-viewer", stack)
    _serve(api_server(app_module.app, ports.host, ports.api), "api", stack)
    return stack


def banner(stack: LocalStack) -> str:
    """What ``make run`` prints once everything is up."""
    p = stack.ports
    faults = os.environ.get("RAPPORT_FAULTS")
    store_key = os.environ.get("RAPPORT_STORE_KEY", "dev-store-key")
    lines = [
        "",
        "Rapport is running locally.",
        f"  API           http://{p.host}:{p.api}   (GET /v1/health)",
        f"  Mail viewer   http://{p.host}:{p.mail}   (JSON: /api/messages)",
        f"  AWS (moto)    {os.environ['AWS_ENDPOINT_URL']}",
        f"  Store key     {store_key}",
        f"  Admin key     {os.environ.get('RAPPORT_ADMIN_KEY', 'dev-admin-key')}",
        "  Logs          JSON lines on this console (correlation_id; ids, never personal data)",
    ]
    if faults:
        lines.append(
            f"  Faults        {faults} (seed {os.environ.get('RAPPORT_FAULT_SEED', 'random')})"
        )
    lines += [
        "",
        "Try a signup:",
        f"  curl -s -X POST http://{p.host}:{p.api}/v1/signups \\",
        f"    -H 'Authorization: Bearer {store_key}' -H 'Content-Type: application/json' \\",
        '    -d \'{"customer_id": "c-1", "email": "ana@example.com", "name": "Ana"}\'',
        f"then open http://{p.host}:{p.mail}",
        "",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def main() -> int:
    """Entry point of ``make run``."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")  # the app's JSON lines on the console
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    started = time.monotonic()
    stack = start()
    print(banner(stack), flush=True)
    print(f"(up in {time.monotonic() - started:.1f}s)", flush=True)
    done = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        done.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    done.wait()
    print("\nStopping…", flush=True)
    stack.shutdown()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
