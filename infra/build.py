"""``make infra``: write the deployable template to ``infra/build/`` and lint it.

1. Write the merge template (:mod:`infra.template`).
2. ``chalice package --merge-template`` into ``infra/build/`` (``sam.json`` and
   ``deployment.zip``).
3. Check that every ``Ref``/``Fn::GetAtt``/``Fn::Sub`` target exists (cfn-lint misses
   misspelt names inside SAM event properties).
4. ``cfn-lint`` with zero errors.
5. Build the layers (:mod:`infra.layer`) next to the template, and check that a
   function's code and its layers fit Lambda's unpacked limit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from infra import layer, resources
from infra.template import merge_template

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "infra" / "build"
PSEUDO = {
    "AWS::Region",
    "AWS::AccountId",
    "AWS::StackName",
    "AWS::Partition",
    "AWS::URLSuffix",
    "AWS::NoValue",
}


def references(node: Any) -> set[str]:
    """Every logical name a template node refers to."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                target = value[0] if isinstance(value, list) else str(value).split(".")[0]
                found.add(target)
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                local = set(value[1]) if isinstance(value, list) and len(value) > 1 else set()
                for name in re.findall(r"\$\{([^}!]+)\}", text):
                    if not name.startswith("resolve:") and name not in local:
                        found.add(name.split(".")[0])
            found |= references(value)
    elif isinstance(node, list):
        for item in node:
            found |= references(item)
    return found


def dangling_references(template: dict[str, Any]) -> list[str]:
    """Names referred to that are neither resources, parameters nor pseudo parameters."""
    known = set(template.get("Resources", {})) | set(template.get("Parameters", {})) | PSEUDO
    return sorted(name for name in references(template) if name not in known)


def package(build: Path = BUILD) -> Path:
    """Run ``chalice package`` with the merge template; returns the template path."""
    build.mkdir(parents=True, exist_ok=True)
    merge = build / "merge.json"
    merge.write_text(json.dumps(merge_template(), indent=2))
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    for name in [k for k in env if k.startswith("RAPPORT_") and k.endswith("_STREAM_ARN")]:
        env.pop(name)
    chalice = Path(sys.executable).parent / "chalice"
    subprocess.run(
        [str(chalice), "package", "--merge-template", str(merge), str(build / "out")],
        cwd=ROOT,
        env=env,
        check=True,
    )
    template = build / "sam.json"
    (build / "out" / "sam.json").replace(template)
    (build / "out" / "deployment.zip").replace(build / "deployment.zip")
    for each in resources.LAYERS:
        layer.build(each, build)
    return template


def oversized(build: Path = BUILD) -> list[str]:
    """Functions whose code plus layers would exceed Lambda's 250 MB unpacked."""
    code = layer.unpacked_size(build / "deployment.zip")
    sizes: dict[str, int] = {}
    for each in resources.LAYERS:
        for function in each.functions:
            sizes[function] = sizes.get(function, code) + layer.unpacked_size(build / each.archive)
    return sorted(name for name, size in sizes.items() if size > layer.UNPACKED_LIMIT)


def main() -> int:
    """Build, check references, lint."""
    template = package()
    data = json.loads(template.read_text())
    dangling = dangling_references(data)
    if dangling:
        print(f"dangling references: {', '.join(dangling)}", file=sys.stderr)
        return 1
    lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(lint), str(template)], cwd=ROOT)
    if result.returncode & 2:  # cfn-lint's exit code is a bit mask: 2 errors, 4 warnings
        print("cfn-lint found errors", file=sys.stderr)
        return 2
    too_big = oversized(BUILD)
    if too_big:
        print(f"over Lambda's unpacked size limit: {', '.join(too_big)}", file=sys.stderr)
        return 3
    zip_path = (BUILD / "deployment.zip").relative_to(ROOT)
    print(f"wrote {template.relative_to(ROOT)} and {zip_path}; cfn-lint: no errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
