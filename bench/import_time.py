"""App import time as a ratio to ``import boto3`` alone (cold interpreter each run)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(code: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def import_ratio(runs: int = 7) -> dict[str, float]:
    """Median seconds for bare Python, ``import boto3`` and ``import app``; and the ratio."""
    base = _time("pass", runs)
    boto3 = _time("import boto3", runs)
    app = _time("import app", runs)
    return {
        "python_s": base,
        "boto3_s": boto3 - base,
        "app_s": app - base,
        "ratio": (app - base) / (boto3 - base),
    }
