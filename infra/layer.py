"""Build the Lambda layer that carries numpy and scipy (``make infra``).

Chalice vendors ``requirements.txt`` into one deployment package for every function;
numpy and scipy are too large for that (about 150 MB unpacked) and only two functions
need them, so they ship as a layer instead (:data:`infra.resources.SCIENCE_LAYER`).

pip installs the wheels for Lambda's platform (``manylinux2014_x86_64``, CPython of the
same minor version chalice packages for) into ``python/``, the directory Lambda puts on
``sys.path`` from a layer; test suites and byte-code caches are left out.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from infra import resources

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_17_x86_64")
UNPACKED_LIMIT = 262_144_000
"""Lambda's limit on a function's code plus its layers, unpacked (250 MB)."""


def runtime() -> str:
    """The Lambda runtime chalice packages for: the interpreter running the build."""
    return f"python{sys.version_info.major}.{sys.version_info.minor}"


KEEP = {"numpy/_core/tests"}
"""Test packages something imports at run time (``numpy.testing``, which scipy imports)."""


def _prune(site: Path) -> None:
    """Remove test suites and byte-code caches, which nothing imports on Lambda."""
    for path in sorted(site.rglob("*"), reverse=True):
        if not path.is_dir() or path.name not in {"tests", "__pycache__"}:
            continue
        if path.relative_to(site).as_posix() not in KEEP:
            shutil.rmtree(path)


def install(requirements: Path, target: Path) -> None:
    """pip-install ``requirements`` for Lambda's platform into ``target/python``."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    abi = f"cp{sys.version_info.major}{sys.version_info.minor}"
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    command += ["--target", str(target / "python"), "--only-binary=:all:", "--no-compile"]
    command += ["--implementation", "cp", "--python-version", version, "--abi", abi]
    for platform in PLATFORMS:
        command += ["--platform", platform]
    command += ["-r", str(requirements)]
    subprocess.run(command, check=True)
    _prune(target / "python")


def unpacked_size(archive: Path) -> int:
    """Bytes an archive takes once unpacked."""
    with zipfile.ZipFile(archive) as zipped:
        return sum(info.file_size for info in zipped.infolist())


def build(layer: resources.Layer, out: Path) -> Path:
    """Write ``layer``'s zip into ``out``; returns its path."""
    archive = out / layer.archive
    with tempfile.TemporaryDirectory(prefix="rapport-layer-") as work:
        install(ROOT / layer.requirements, Path(work))
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(Path(work).rglob("*")):
                if path.is_file():
                    zipped.write(path, path.relative_to(work).as_posix())
    return archive


def template_resource(layer: resources.Layer) -> dict[str, object]:
    """The layer's ``AWS::Serverless::LayerVersion`` (its zip sits next to the template)."""
    return {
        "Type": "AWS::Serverless::LayerVersion",
        "Properties": {
            "Description": layer.description,
            "ContentUri": f"./{layer.archive}",
            "CompatibleRuntimes": [runtime()],
            "CompatibleArchitectures": ["x86_64"],
            "RetentionPolicy": "Delete",
        },
    }
