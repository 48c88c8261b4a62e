"""Whatever a file holds, the loader ends in a valid Level or a clean LevelError, never a crash."""

from __future__ import annotations

import copy
import functools
import os
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.levels import Level, LevelError, LevelProblem, load_level_file, load_levels
from game.levels.toml_lines import key_lines
from tests.levels.helpers import ASSETS, LEVELS, to_toml

# LEVELS_FUZZ_EXAMPLES=2000 for a longer hunt; 150 keeps the suite quick.
FUZZ = settings(max_examples=int(os.environ.get("LEVELS_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Names the schema uses, so generated documents often get past the first check.
KEYS = ["id", "order", "title", "mode", "unlock", "after", "min_stars", "rounds", "defaults", "emotion",
        "prompt", "speech", "picture", "hold_s", "time_limit_s", "threshold", "hints", "story", "en"]
VALUES = ["happy", "sad", "fear", "faces/happy-1.png", "../secret.png", "/etc/passwd", "mirror", "t", "", " "]

keys = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=8))
scalars = st.one_of(st.sampled_from(VALUES), st.text(max_size=20), st.integers(-5, 100),
                    st.floats(allow_nan=True, allow_infinity=True), st.booleans())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=5)), max_leaves=25)
documents = st.dictionaries(keys, values, max_size=8)


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def outcome(path: Path) -> Level | LevelError:
    """Load and return the result; any exception other than LevelError fails the test."""
    try:
        return load_level_file(path, ASSETS)
    except LevelError as exc:
        assert exc.problems, "a LevelError must carry at least one problem"
        for problem in exc.problems:
            assert isinstance(problem, LevelProblem) and problem.message
            assert problem.line is None or problem.line >= 1
            str(problem)   # must render
        return exc


@FUZZ
@given(text=st.text(max_size=400))
def test_random_text(scratch, text):
    path = scratch / "t.toml"
    try:
        path.write_text(text, encoding="utf-8")
    except UnicodeEncodeError:   # lone surrogates cannot be saved as UTF-8; write the raw bytes instead
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    outcome(path)


@FUZZ
@given(data=documents)
def test_random_documents(scratch, data):
    path = scratch / "t.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    result = outcome(path)
    if isinstance(result, Level):
        assert result.rounds and all(r.picture.is_relative_to(ASSETS.resolve()) for r in result.rounds)


@functools.cache
def _shipped() -> dict[str, dict]:
    return {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(LEVELS.glob("*.toml"))}


def _paths(tree: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out += _paths(v, prefix + (i,))
    return out


def _mutate(tree: dict, path: tuple, action: str, value: object) -> dict:
    tree = copy.deepcopy(tree)
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif isinstance(parent, dict):
        parent[f"{last}x"] = value   # an unknown key next to a known one
    return tree


@FUZZ
@given(st.data())
def test_mutated_shipped_levels(scratch, data):
    """A real level with one thing changed: still a Level, or problems that point at it."""
    name = data.draw(st.sampled_from(sorted(_shipped())))
    tree = _shipped()[name]
    path = data.draw(st.sampled_from([p for p in _paths(tree) if p]))
    action = data.draw(st.sampled_from(["delete", "replace", "add"]))
    broken = _mutate(tree, path, action, data.draw(values))
    file = scratch / f"{name}.toml"
    file.write_text(to_toml(broken), encoding="utf-8")
    result = outcome(file)
    if isinstance(result, LevelError):
        assert all(p.file == file for p in result.problems)
        assert any(p.field for p in result.problems) or any(p.line for p in result.problems)


@FUZZ
@given(texts=st.lists(st.text(max_size=200), max_size=4))
def test_a_folder_of_random_files_never_raises(scratch, texts):
    folder = scratch / "folder"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for i, text in enumerate(texts):
        (folder / f"f{i}.toml").write_bytes(text.encode("utf-8", errors="surrogatepass"))
    (folder / "meet-happy.toml").write_bytes((LEVELS / "meet-happy.toml").read_bytes())
    level_set = load_levels(folder, ASSETS)
    assert [lv.id for lv in level_set.levels] == ["meet-happy"]
    assert len({p.file for p in level_set.problems}) == len(texts)


@FUZZ
@given(text=st.text(max_size=300))
def test_line_finder_never_raises_on_any_text(text):
    lines = key_lines(text)
    assert all(isinstance(n, int) and n >= 1 for n in lines.values())
