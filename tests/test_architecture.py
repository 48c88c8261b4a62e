"""The rooms of the code: no import circle anywhere in game/ (function-local imports count),
and the lower rooms never import the game's UI or its command line."""

from __future__ import annotations

import ast
from pathlib import Path

GAME = Path(__file__).resolve().parents[1] / "game"
#: Rooms below the UI (DESIGN.md): they know nothing of pygame scenes or the CLI.
LOWER = ("game.vision", "game.levels", "game.progress", "game.speech", "game.vocabulary", "game.resources",
         "game.settings")
HIGHER = ("game.play", "game.cli", "game.kiosk")


def module_name(path: Path) -> str:
    parts = path.relative_to(GAME.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in GAME.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):   # every import, local ones too
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    deps.add(target if target in modules else node.module)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path)
        path.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_the_checker_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_in_game():
    assert cycles(import_graph()) == []


def test_lower_rooms_never_import_higher_ones():
    graph = import_graph()
    wrong = sorted((module, dep) for module, deps in graph.items() if module.startswith(LOWER)
                   for dep in deps if dep.startswith(HIGHER))
    assert wrong == []
