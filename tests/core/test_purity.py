"""app/core stays pure: no web framework, GitHub client, queue, network or environment."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).parents[2] / "app" / "core"
FORBIDDEN = {
    "fastapi",
    "starlette",
    "github",
    "huey",
    "redis",
    "httpx",
    "requests",
    "socket",
    "subprocess",
    "urllib.request",
    "http",
    "uvicorn",
    "app.github",
    "app.flows",
    "app.lookup",
    "app.service",
    "app.cli",
}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_nothing_impure(path: Path) -> None:
    bad = {n for n in imported(path) if n in FORBIDDEN or n.split(".")[0] in FORBIDDEN}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_module_reads_no_environment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "os.environ" not in text and "getenv" not in text and "open(" not in text
