"""``make infra``: chalice package + merge template + reference check + cfn-lint."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest

from infra import build, resources


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    """``make infra`` once for this module: the packaged template."""
    assert build.main() == 0
    data: dict[str, Any] = json.loads((build.BUILD / "sam.json").read_text())
    return data


def test_make_infra_writes_a_template_that_cfn_lint_accepts(template: dict[str, Any]) -> None:
    assert build.dangling_references(template) == []
    mailer = template["Resources"]["Mailer"]["Properties"]
    assert mailer["Role"] == {"Fn::GetAtt": ["MailerRole", "Arn"]}
    source = mailer["Events"]["MailerDynamodbEventSource"]["Properties"]
    assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert source["Stream"] == {"Fn::GetAtt": ["MessagesTable", "StreamArn"]}
    env = template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert env["RAPPORT_CUSTOMERS_TABLE"] == {"Ref": "CustomersTable"}
    assert (build.BUILD / "deployment.zip").stat().st_size > 1_000_000


def test_the_science_layer_carries_numpy_and_scipy_for_the_functions_that_need_them(
    template: dict[str, Any], tmp_path: Path
) -> None:
    science = resources.SCIENCE_LAYER
    spec = template["Resources"][science.logical_id]
    assert spec["Type"] == "AWS::Serverless::LayerVersion"
    runtimes = {
        resource["Properties"]["Runtime"]
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    assert spec["Properties"]["CompatibleRuntimes"] == sorted(runtimes)
    with_layer = {
        name
        for name, resource in template["Resources"].items()
        if {"Ref": science.logical_id} in resource.get("Properties", {}).get("Layers", [])
    }
    assert with_layer == set(science.functions)
    assert build.oversized() == []

    archive = build.BUILD / spec["Properties"]["ContentUri"]
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        zipped.extractall(tmp_path)
    assert all(name.startswith("python/") for name in names)
    assert not [name for name in names if "__pycache__" in name]
    assert not [name for name in names if "/tests/" in name and "numpy/_core/tests" not in name]
    pins = dict(
        line.split("==")
        for line in (build.ROOT / science.requirements).read_text().splitlines()
        if "==" in line
    )
    # The domain's CLV fit and prediction, with nothing but the stdlib, the layer and the
    # repository on the path (-S: no site-packages), as on Lambda.
    script = textwrap.dedent(
        f"""
        import random, sys
        sys.path[:0] = [{str(tmp_path / "python")!r}, {str(build.ROOT)!r}]
        from datetime import date, timedelta
        import numpy, scipy
        from chalicelib.domain.clv import fit_clv, predict, summarize
        rng = random.Random(3)
        as_of = date(2026, 11, 1)
        summaries = []
        for _ in range(400):
            first = as_of - timedelta(days=rng.randrange(60, 500))
            age = (as_of - first).days
            days = sorted({{rng.randrange(1, age) for _ in range(rng.randrange(0, 6))}})
            purchases = [(first, rng.randrange(1000, 9000))]
            purchases += [(first + timedelta(days=d), rng.randrange(1000, 9000)) for d in days]
            summaries.append(summarize(purchases, as_of))
        params = fit_clv(summaries, as_of)
        value = predict(params, summaries[0])
        print(numpy.__version__, scipy.__version__, numpy.__file__, 0 <= value.p_alive <= 1)
        """
    )
    run = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    numpy_version, scipy_version, numpy_file, plausible = run.stdout.split()
    assert (numpy_version, scipy_version) == (pins["numpy"], pins["scipy"])
    assert numpy_file.startswith(str(tmp_path))
    assert plausible == "True"


def _functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def test_no_function_environment_holds_a_secret_value_only_the_arn_where_needed(
    template: dict[str, Any],
) -> None:
    functions = _functions(template)
    assert {f for secret in resources.SECRETS for f in secret.functions} <= set(functions)
    secret_ids = {secret.logical_id for secret in resources.SECRETS}
    for name, props in functions.items():
        variables = props["Environment"]["Variables"]
        assert "resolve:secretsmanager" not in json.dumps(variables), name
        for secret in resources.SECRETS:
            expected = {"Ref": secret.logical_id} if name in secret.functions else None
            assert variables.get(secret.env) == expected, (name, secret.env)
        others = {k: v for k, v in variables.items() if k not in {s.env for s in resources.SECRETS}}
        assert not build.references(others) & secret_ids, name
    for secret in resources.SECRETS:
        props = template["Resources"][secret.logical_id]["Properties"]
        assert "SecretString" not in props and props["GenerateSecretString"]["PasswordLength"] >= 32


def test_only_the_functions_that_use_a_secret_may_read_it_and_only_that_one(
    template: dict[str, Any],
) -> None:
    readers: dict[str, set[str]] = {}
    for name, props in _functions(template).items():
        role = template["Resources"][props["Role"]["Fn::GetAtt"][0]]
        statements = [
            s
            for policy in role["Properties"]["Policies"]
            for s in policy["PolicyDocument"]["Statement"]
        ]
        for statement in statements:
            if any(action.startswith("secretsmanager:") for action in statement["Action"]):
                assert statement["Action"] == ["secretsmanager:GetSecretValue"], name
                for resource in statement["Resource"]:
                    readers.setdefault(resource["Ref"], set()).add(name)
    assert readers == {secret.logical_id: set(secret.functions) for secret in resources.SECRETS}
