"""The layout shows the architecture: arrows point down (cli → service → flows → core,
github, lookup), no import cycle, only the PyGithub adapter imports ``github``, and the size
rules hold: modules of at most 300 lines, functions of at most 40, keyword-only arguments
past two parameters."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).parents[1] / "app"
# What each part may import from app/: its own part and the parts below it.
MAY_IMPORT = {
    "core": {"core"},
    "lookup": {"lookup", "core"},
    "github": {"github", "core"},
    "flows": {"flows", "core", "github", "lookup"},
    "service": {"service", "flows", "core", "github", "lookup"},
    "cli": {"cli", "service", "flows", "core", "github", "lookup"},
}


def module_of(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module this file imports at run time, at the top or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # `if TYPE_CHECKING:` blocks are never run
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


MODULES = {module_of(p): p for p in APP.rglob("*.py")}


def part(module: str) -> str | None:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 2 or (len(pieces) == 2 and pieces[1] in MAY_IMPORT) else None


@pytest.mark.parametrize("module", sorted(m for m in MODULES if part(m)))
def test_imports_point_down(module: str) -> None:
    mine = part(module)
    assert mine is not None
    wrong = {
        name
        for name in imports(MODULES[module])
        if name.startswith("app.") and (p := part(name)) and p not in MAY_IMPORT[mine]
    }
    assert not wrong, f"{module} ({mine}) imports {sorted(wrong)} from a part above it"


def test_no_import_cycle() -> None:
    graph = {m: {n for n in imports(p) if n in MODULES and n != m} for m, p in MODULES.items()}
    for package in [m for m in MODULES if MODULES[m].name == "__init__.py"]:
        graph[package] = {n for n in graph[package] if not n.startswith(package + ".")}
    seen: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in graph[node]:
            assert seen.get(nxt) != 1, "import cycle: " + " → ".join([*path, node, nxt])
            if nxt not in seen:
                visit(nxt, [*path, node])
        seen[node] = 2

    for module in sorted(graph):
        if module not in seen:
            visit(module, [])


def test_only_the_adapter_imports_github() -> None:
    users = {m for m, p in MODULES.items() if any(n.split(".")[0] == "github" for n in imports(p))}
    assert users == {"app.github.pygithub"}


# Callbacks whose caller fixes a positional signature: ASGI, httpcore's network backend,
# Huey's signal handlers, and the fake GitHub's route table (gh, repo, match, body, query).
CALLBACKS = {
    ("app.service.web", "app"),
    ("app.service.webhook", "__call__"),
    ("app.lookup.wire", "connect_tcp"),
    ("app.lookup.wire", "start_tls"),
    ("app.service.tasks", "on_error"),
}
ROUTE = ["gh", "repo", "m", "body", "q"]


def functions() -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    return [
        (module, node)
        for module, path in sorted(MODULES.items())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def test_modules_are_at_most_300_lines() -> None:
    lines = {m: p.read_text(encoding="utf-8").count("\n") for m, p in MODULES.items()}
    assert {m: n for m, n in lines.items() if n > 300} == {}


def test_functions_are_at_most_40_lines() -> None:
    long = [f"{m}.{f.name}" for m, f in functions() if (f.end_lineno or 0) - f.lineno >= 40]
    assert long == []


def test_arguments_past_two_parameters_are_keyword_only() -> None:
    def positional(f: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
        args = f.args.posonlyargs + f.args.args
        return [a.arg for a in args if a.arg not in ("self", "cls")]

    loose = [
        f"{m}.{f.name}({', '.join(positional(f))})"
        for m, f in functions()
        if len(positional(f)) > 2 and (m, f.name) not in CALLBACKS and positional(f) != ROUTE
    ]
    assert loose == []
