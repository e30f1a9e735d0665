"""Property-based fuzzing of the engine and the fixer.

(a) hypothesmith's grammar-generated programs: `lint_text` raises nothing but the errors
    the runner maps to EVL000 (SyntaxError, RecursionError, ValueError).
(b) modules built from a grammar of eventlet uses (tests/fuzz_strategies.py), alone or
    spliced into hypothesmith programs: every fix applied (`display_only`, so unsafe and
    display-only fixes too) gives code that parses, a second run changes nothing, no
    statement a fix did not target is lost, and no fix makes module-level code use a name
    before the import that binds it.
(c) the repository's example files and rule examples, mutated (lines deleted, duplicated,
    swapped, junk inserted, cut short): the runner's per-file path never crashes (no EVL003).

The fast part runs in every test run with a fixed seed (deterministic CI); `pytest -m soak`
runs the same properties with many more random examples.
"""

from __future__ import annotations

import ast
import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from evlint.engine import RECURSION_LIMIT, lint_text
from evlint.fix.apply import FixRefusedError, fix_source
from evlint.internal import INTERNAL_ERROR
from evlint.lint_file import lint_python
from evlint.model import Diagnostic
from evlint.ruleset import CompiledRules, bundled_rules_dir, load_rules
from tests.fuzz_strategies import eventlet_modules

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules([bundled_rules_dir()])  # both packs: every fix kind is exercised
COMPILED = CompiledRules(list(RULES))
# The engine raises the limit on first use; hypothesis warns when it changes mid-test.
sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
}
FAST = settings(max_examples=30, derandomize=True, **_COMMON)  # type: ignore[arg-type]
SOAK = settings(max_examples=1500, **_COMMON)  # type: ignore[arg-type]


def lint(text: str) -> Sequence[Diagnostic]:
    return lint_text("mod.py", text, COMPILED).diagnostics


# -- (a) the engine on arbitrary programs ------------------------------------------------


def engine_never_raises(source: str) -> None:
    with contextlib.suppress(SyntaxError, RecursionError, ValueError):  # mapped to EVL000 by the runner
        lint_text("mod.py", source, COMPILED)


@FAST
@given(hypothesmith.from_grammar())
def test_engine_never_raises_on_generated_programs(source: str) -> None:
    engine_never_raises(source)


@pytest.mark.soak
@SOAK
@given(hypothesmith.from_grammar() | hypothesmith.from_node())
def test_soak_engine_never_raises_on_generated_programs(source: str) -> None:
    engine_never_raises(source)


# -- (b) fixes on eventlet-using modules ---------------------------------------------------


def statements(tree: ast.AST) -> Counter[str]:
    return Counter(ast.dump(node) for node in ast.walk(tree) if isinstance(node, ast.stmt))


def untargeted_statements(tree: ast.Module, diagnostics: Sequence[Diagnostic]) -> Counter[str]:
    """Statements (at any depth) that no fix's edit touches and that import nothing (the
    fixer manages imports: it adds them and removes the ones a fix left unused)."""
    rows = {
        row
        for d in diagnostics
        if d.fix is not None
        for edit in d.fix.edits
        for row in range(edit.location.row, edit.end_location.row + 1)
    }
    kept: Counter[str] = Counter()
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        if any(isinstance(inner, (ast.Import, ast.ImportFrom)) for inner in ast.walk(node)):
            continue
        if any(node.lineno <= row <= (node.end_lineno or node.lineno) for row in rows):
            continue
        kept[ast.dump(node)] += 1
    return kept


def used_before_import(tree: ast.Module) -> Counter[str]:
    """Names module-level code loads on a line above the module-level import that binds
    them (a NameError at import time); function bodies run later and are not counted."""
    imports: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node.col_offset == 0:
            for alias in node.names:
                bound = alias.asname or (
                    alias.name.split(".")[0] if isinstance(node, ast.Import) else alias.name
                )
                imports[bound] = min(imports.get(bound, node.lineno), node.lineno)
    early: Counter[str] = Counter()
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Name) and node.id in imports and node.lineno < imports[node.id]:
            early[node.id] += 1
        pending.extend(ast.iter_child_nodes(node))
    return early


def fixes_are_sound(source: str) -> None:
    """Round by round (a later round's edits are positions in the earlier round's output):
    the output parses and keeps every statement no edit of that round touched; the whole
    run is idempotent."""
    note(source)
    text = source
    for _ in range(10):
        diagnostics = lint(text)
        try:
            step = fix_source(text, lint, unsafe=True, display_only=True, rounds=1, diagnostics=diagnostics)
        except FixRefusedError:
            return  # refused, the file is left alone: fine
        if step.text == text:
            break
        note(step.text)
        fixed_tree = ast.parse(step.text)
        tree = ast.parse(text)
        lost = untargeted_statements(tree, diagnostics) - statements(fixed_tree)
        assert not lost, f"statements no fix targeted were lost: {list(lost)}"
        assert sum(used_before_import(fixed_tree).values()) <= sum(used_before_import(tree).values()), (
            "a fix uses a name before the import that binds it"
        )
        text = step.text
    whole = fix_source(source, lint, unsafe=True, display_only=True)
    again = fix_source(whole.text, lint, unsafe=True, display_only=True)
    assert again.text == whole.text, "a second run changed the fixed code"


def spliced(program: str, module: str) -> str | None:
    """The eventlet module's statements after a generated program's, if the whole parses."""
    text = program.rstrip("\\\n") + "\n" + module
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    return text


@FAST
@given(eventlet_modules())
def test_fixes_on_eventlet_modules_parse_are_idempotent_and_lose_nothing(source: str) -> None:
    fixes_are_sound(source)


@FAST
@given(hypothesmith.from_grammar(), eventlet_modules())
def test_fixes_on_eventlet_uses_spliced_into_generated_programs(program: str, module: str) -> None:
    source = spliced(program, module)
    if source is not None:
        fixes_are_sound(source)


@pytest.mark.soak
@SOAK
@given(st.one_of(eventlet_modules(), st.builds(spliced, hypothesmith.from_grammar(), eventlet_modules())))
def test_soak_fixes(source: str | None) -> None:
    if source is not None:
        fixes_are_sound(source)


# -- (c) mutated real files --------------------------------------------------------------


def real_sources() -> list[str]:
    files = sorted((ROOT / "examples").rglob("*.py"))
    texts = [path.read_text(encoding="utf-8") for path in files]
    for rule in RULES:
        texts.extend(example.code for example in (*rule.invalid_examples, *rule.valid_examples))
    return [text for text in texts if text.strip()]


REAL_SOURCES = real_sources()
JUNK = (
    "(",
    ")",
    "'''",
    '"',
    "\\",
    "\x00",
    "\t",
    "    ",
    "def",
    "class X:",
    ":",
    "é",
    "\r",
    "\x0c",
    "#",
    "lambda",
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(REAL_SOURCES)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.integers(0, 5))
        if operation == 0:
            del lines[index]
        elif operation == 1:
            lines.insert(index, lines[index])
        elif operation == 2:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == 3:
            column = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:column] + draw(st.sampled_from(JUNK)) + lines[index][column:]
        elif operation == 4:
            lines = lines[: index + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        else:
            lines[index] = "    " + lines[index]
    return "".join(lines).encode("utf-8", errors="surrogatepass")


def runner_never_crashes(source: bytes, check: Callable[[str], None] = fixes_are_sound) -> None:
    result = lint_python(COMPILED, "mod.py", source).result
    assert not [d for d in result.diagnostics if d.code == INTERNAL_ERROR], result.internal_errors
    try:
        text = source.decode("utf-8")
        ast.parse(text)
    except (UnicodeDecodeError, SyntaxError, ValueError):
        return
    check(text)


@FAST
@given(mutated())
def test_mutated_real_files_never_crash_the_engine_or_the_fixer(source: bytes) -> None:
    runner_never_crashes(source)


@pytest.mark.soak
@SOAK
@given(mutated())
def test_soak_mutated_real_files(source: bytes) -> None:
    runner_never_crashes(source)
