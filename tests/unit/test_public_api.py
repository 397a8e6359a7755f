"""Meta-tests of the public surface: every public name exported, every error documented."""

from __future__ import annotations

import inspect

import pulumi_braket
import pulumi_braket.job
import pulumi_braket.lookups
import pulumi_braket.quantum_task
import pulumi_braket.resource_tags
import pulumi_braket.spending_limit


def test_public_names_every_public_class_and_function_exported() -> None:
    modules = [
        pulumi_braket.job,
        pulumi_braket.resource_tags,
        pulumi_braket.quantum_task,
        pulumi_braket.spending_limit,
        pulumi_braket.lookups,
    ]
    public = {
        name
        for module in modules
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and getattr(value, "__module__", "") == module.__name__
        and (name[0].isupper() or name.startswith(("get_", "search_")))
    }
    assert public <= set(pulumi_braket.__all__)
    for name in pulumi_braket.__all__:
        assert hasattr(pulumi_braket, name), name


def test_public_names_have_one_line_docstrings() -> None:
    for name in pulumi_braket.__all__:
        value = getattr(pulumi_braket, name)
        doc = inspect.getdoc(value) or ""
        assert doc and doc.splitlines()[0].strip(), name
