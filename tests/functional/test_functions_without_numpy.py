"""Only the functions given the science layer may need numpy and scipy.

``infra.resources.SCIENCE_LAYER`` gives the layer to the orders stream, the
customer-value job and the import function. The other functions (the API, the customer,
mail and shipments streams, the deferred-mail and co-purchases jobs) run here in a Python
that refuses to import numpy or scipy, through the same tests that cover them otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from infra import resources

ROOT = Path(__file__).resolve().parents[2]
FLOWS = [
    "tests/functional/test_signup_to_welcome.py",  # API, OnCustomer, Mailer
    "tests/functional/test_signups_api.py",  # API
    "tests/functional/test_profile_corrections.py",  # API, OnCustomer
    "tests/functional/test_admin_api.py",  # API (models, settings, jobs), DeferredMail
    "tests/functional/test_imports.py",  # API (imports), OnCustomer
    "tests/functional/test_job_runs.py",  # API, DeferredMail, CoPurchases
    "tests/functional/test_carrier_events.py",  # OnShipment
    "tests/functional/test_surveys.py",  # OnShipment, Mailer
    "tests/functional/test_stream_handlers.py",
    # OnSesFeedback, API (the unreachable list)
    "tests/functional/test_mail_feedback.py::test_the_unreachable_list_is_paginated_with_an_opaque_cursor",
]


def run_without_science(*arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAPPORT_WITHOUT_SCIENCE": "1"}
    command = [sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider"]
    command += ["-q", *arguments]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def test_the_layer_is_given_exactly_to_the_value_functions_and_the_import() -> None:
    # the job's function plans and fans out; its segment function summarizes, fits, rescores
    expected = {"OnOrder", "CustomerValue", resources.IMPORT_FUNCTION, "JobSegment"}
    assert set(resources.SCIENCE_LAYER.functions) == expected


def test_functions_without_the_layer_run_without_numpy_or_scipy() -> None:
    result = run_without_science(*FLOWS)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


def test_the_block_refuses_numpy(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text("def test_numpy_is_refused():\n    import numpy  # noqa: F401\n")
    result = run_without_science("-p", "tests.functional.conftest", str(probe))
    assert result.returncode == 1, result.stdout[-2000:]
    assert "no science layer" in result.stdout
