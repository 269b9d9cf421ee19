"""The import structure: every module imports alone, and no module imports one that imports it
back (directly or through others), whether at the top of the file or inside a function."""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tui"


def module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] != "__main__":
            names.append(".".join(parts))
    return names


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(name: str, known: set[str]) -> set[str]:
    """The project's modules ``name`` imports anywhere in its code (not for type checking only)."""
    path = PACKAGE.joinpath(*name.split(".")[1:])
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {module for module in found if module in known and module != name}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return cycles


def test_no_module_imports_one_that_imports_it_back():
    names = module_names()
    known = set(names)
    graph = {name: imported_modules(name, known) for name in names}
    assert sum(len(targets) for targets in graph.values()) > 50  # the walk does find imports
    assert import_cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]


def test_every_module_imports_alone():
    def import_alone(name: str) -> tuple[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", f"import {name}"], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        return name, done.stderr.strip().splitlines()[-1] if done.returncode else ""

    with ThreadPoolExecutor(4) as pool:
        failures = {name: error for name, error in pool.map(import_alone, module_names()) if error}
    assert failures == {}


def test_what_the_reader_imports_before_its_first_frame_leaves_the_network_and_extraction_for_later():
    """The app's start reads the store and draws; the HTTP client, page extraction, feed parsing and
    the listing source are read when a refresh or a listing first needs them, the dialogs when first
    opened, hashlib (OpenSSL's bindings) when an article's id is first computed, the sidebar's
    sections and the store's counts with the first counts, retention with the first purge, the
    articles' model, the store's writes and its whole articles with the first article written or
    opened, the list of every binding and its owner with the help or a keymap, json with the first
    index rebuilt from the store's tags, shlex with a damaged store's command, the find bar with
    the first ctrl+f (BENCHMARKS.md, first paint: they were most of what the app imported before
    its first frame)."""
    code = (
        "import sys, tui.cli, tui.ui.app, tui.ui.pictures\n"
        "late = ('httpx', 'tui.net.http', 'tui.extract', 'tui.feeds.parse', 'tui.sources.listing',"
        " 'html_to_markdown', 'selectolax', 'multiprocessing',"
        " 'tui.ui.screens.help', 'tui.ui.screens.links', 'hashlib',"
        " 'tui.ui.sidebar_sections', 'tui.store.counts', 'tui.store.retention', 'tui.model',"
        " 'tui.store.writes', 'tui.store.articles', 'tui.store.topics', 'tui.article_keys',"
        " 'tui.article_markdown', 'tui.article_layout', 'tui.ui.bindings', 'json', 'shlex',"
        " 'tui.ui.widgets.find_bar')\n"
        "print(sorted(m for m in sys.modules if m in late))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
