"""Every `__all__` of the package says what it exports, and only that exists under it."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

import spbe_arch


def _modules_with_all() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(spbe_arch.__path__, "spbe_arch."):
        if info.name.endswith("__main__"):
            continue  # running it would start the CLI
        module = importlib.import_module(info.name)
        if hasattr(module, "__all__"):
            names.append(info.name)
    return ["spbe_arch", *names]


@pytest.mark.parametrize("name", _modules_with_all())
def test_everything_in_all_exists_once(name: str) -> None:
    module: ModuleType = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(exported) == len(set(exported)), f"{name}: a name is listed twice"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it does not have: {missing}"
    assert all(not n.startswith("_") or n == "__version__" for n in exported), name


def test_the_packages_that_other_layers_use_declare_what_they_export() -> None:
    declared = set(_modules_with_all())
    for package in ("spbe_arch.access", "spbe_arch.api", "spbe_arch.model",
                    "spbe_arch.repository", "spbe_arch.validation", "spbe_arch.sop",
                    "spbe_arch.evaluation"):
        assert package in declared, package
