"""The examples in the package's docstrings run, as they are written (doctest): every module of
``hrgraph`` is imported and its examples checked, so a docstring cannot drift from the code."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import hrgraph

MODULES = sorted(info.name for info in pkgutil.walk_packages(hrgraph.__path__, prefix="hrgraph."))


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_the_docstrings_hold(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_the_package_has_examples_to_run() -> None:
    attempted = 0
    for name in MODULES:
        finder = doctest.DocTestFinder(exclude_empty=True)
        attempted += sum(
            len(test.examples) for test in finder.find(importlib.import_module(name), name)
        )
    assert attempted >= 50
