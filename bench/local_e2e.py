"""Signups per second through the local stack, and the delay from POST to the viewer."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _post(url: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Authorization", "Bearer dev-store-key")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.status)


def _one_at_a_time(base: str, viewer: str, count: int) -> list[float]:
    """POST to mail in the viewer for signups sent one at a time on a quiet stack."""
    delays = []
    for i in range(count):
        email = f"solo{i}@example.com"
        started = time.perf_counter()
        _post(f"{base}/v1/signups", {"customer_id": f"solo-{i}", "email": email})
        while not any(m["to"][0] == email for m in _get(viewer)["messages"]):
            time.sleep(0.01)
        delays.append(time.perf_counter() - started)
    return delays


def start_stack_process(
    extra: dict[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], str, str]:
    """``python -m local.stack`` on free ports, once healthy: the process, API and viewer URLs."""
    api, aws, mail = _port(), _port(), _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAPPORT_", "AWS_"))}
    env.update(RAPPORT_PORT=str(api), RAPPORT_AWS_PORT=str(aws), RAPPORT_MAIL_PORT=str(mail))
    env.update(extra or {})
    process = subprocess.Popen(
        [sys.executable, "-m", "local.stack"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{api}"
    while True:
        try:
            _get(f"{base}/v1/health")
            return process, base, f"http://127.0.0.1:{mail}"
        except OSError:
            time.sleep(0.05)


def stop_stack_process(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C the stack and wait for it (pumps finish the batch in hand first)."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run(signups: int = 200, concurrency: int = 4) -> dict[str, float]:
    """Start the stack, post ``signups`` with ``concurrency`` clients, watch the viewer."""
    started = time.perf_counter()
    process, base, mail = start_stack_process()
    viewer = f"{mail}/api/messages"
    try:
        startup = time.perf_counter() - started
        posted: dict[str, float] = {}
        seen: dict[str, float] = {}
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                now = time.perf_counter()
                for message in _get(viewer)["messages"]:
                    address = message["to"][0]
                    seen.setdefault(address, now)
                if len(seen) >= signups:
                    done.set()
                time.sleep(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()

        def one(i: int) -> None:
            email = f"load{i}@example.com"
            posted[email] = time.perf_counter()
            _post(f"{base}/v1/signups", {"customer_id": f"load-{i}", "email": email})

        first = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(one, range(signups)))
        accepted = time.perf_counter() - first
        done.wait(timeout=300)
        last = max(seen.values()) if seen else time.perf_counter()
        latencies = sorted(seen[email] - posted[email] for email in posted if email in seen)
        done.set()
        single = _one_at_a_time(base, viewer, 20)
        return {
            "single_p50_ms": 1000 * statistics.median(single),
            "single_max_ms": 1000 * max(single),
            "startup_s": startup,
            "signups": signups,
            "delivered": len(latencies),
            "api_signups_per_s": signups / accepted,
            "end_to_end_signups_per_s": len(latencies) / (last - first),
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[max(0, int(len(latencies) * 0.99) - 1)],
        }
    finally:
        stop_stack_process(process)
