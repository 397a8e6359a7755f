"""The package's import graph: thin hosts over a host-free core, and no private imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pulumi_braket"


def _source(module: str) -> Path | None:
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    if path.exists():
        return path
    package = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
    return package if package.exists() else None


def _imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) of each import a module runs; imports for type checkers are left out."""
    found: list[tuple[str, str | None]] = []

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                found.extend((alias.name, None) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.extend((node.module, alias.name) for alias in node.names)
            for member in ("body", "orelse", "handlers", "finalbody"):
                inner = getattr(node, member, None)
                if isinstance(inner, list):
                    visit(inner)

    visit(ast.parse(path.read_text()).body)
    return found


def _closure(start: str) -> dict[str, list[tuple[str, str | None]]]:
    """Every pulumi_braket module that importing ``start`` runs, with its imports."""
    seen: dict[str, list[tuple[str, str | None]]] = {}
    pending = [start]
    while pending:
        module = pending.pop()
        parts = module.split(".")
        pending += [".".join(parts[:i]) for i in range(1, len(parts))]  # its packages run
        path = _source(module)
        if module in seen or path is None:
            continue
        seen[module] = _imports(path)
        for name, member in seen[module]:
            if name.startswith("pulumi_braket"):
                pending += [name, f"{name}.{member}"] if member else [name]
    return seen


def _dynamic(imports: list[tuple[str, str | None]]) -> bool:
    return any(
        name.startswith("pulumi.dynamic") or (name == "pulumi" and member == "dynamic")
        for name, member in imports
    )


@pytest.mark.parametrize(
    "start",
    [
        "pulumi_braket.hosts.plugin",
        "pulumi_braket.cores.job",
        "pulumi_braket.cores.quantum_task",
        "pulumi_braket.cores.spending_limit",
        "pulumi_braket.cores.resource_tags",
    ],
)
def test_layout_plugin_and_cores_import_no_dynamic_provider(start: str) -> None:
    closure = _closure(start)
    assert [module for module, imports in closure.items() if _dynamic(imports)] == []
    assert "pulumi_braket.hosts.dynamic" not in closure  # the dynamic host's adapter
    # Nor the program side: its resources, and lookups' stack config and Output wrappers.
    program = {"job", "quantum_task", "spending_limit", "resource_tags", "lookups", "policy"}
    assert sorted(m for m in closure if m.rpartition(".")[2] in program and "cores" not in m) == []
    if start != "pulumi_braket.hosts.plugin":
        # A core imports no host at all: hosts import cores, never the other way.
        assert sorted(m for m in closure if m.startswith("pulumi_braket.hosts")) == []


def test_layout_no_module_imports_another_private_name() -> None:
    private = [
        f"{path.relative_to(PACKAGE.parent)}: {name}.{member}"
        for path in PACKAGE.rglob("*.py")
        for name, member in _imports(path)
        if name.startswith("pulumi_braket") and member and member.startswith("_")
    ]
    assert private == []
