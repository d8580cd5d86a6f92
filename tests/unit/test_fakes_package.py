"""``tests.fakes`` offers every fake of its area modules.

Tests import fakes from the package (``from tests.fakes import X``); a fake added to an
area module but not re-exported would be reachable only by its module's path, so the
package's ``__all__`` must name each public class, and each is defined once.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

from tests import fakes


def _area_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{fakes.__name__}.{info.name}")
        for info in pkgutil.iter_modules(fakes.__path__)
    ]


def _defined_in(module: ModuleType) -> dict[str, object]:
    """Public classes that ``module`` itself defines."""
    return {
        name: value
        for name, value in vars(module).items()
        if not name.startswith("_")
        and inspect.isclass(value)
        and value.__module__ == module.__name__
    }


def test_the_package_reexports_every_fake_of_its_modules() -> None:
    defined = {name: value for m in _area_modules() for name, value in _defined_in(m).items()}
    assert "FakeOutbox" in defined and "FakeActivity" in defined
    assert sorted(defined) == sorted(fakes.__all__)
    assert {name: getattr(fakes, name) for name in fakes.__all__} == defined


def test_no_fake_is_defined_in_two_area_modules() -> None:
    names = [name for module in _area_modules() for name in _defined_in(module)]
    assert len(names) == len(set(names))
