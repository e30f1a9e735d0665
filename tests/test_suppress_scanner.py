"""The `# noqa` scanner gives the same directives as the tokenizer it replaces.

`suppress._tokenized_comments` is the original tokenize-based reader, kept as the reference
(and as the fallback for what the scanner does not model). Every comparison is on the
`Directives` (rows, codes, file directive); the scanner itself is also asked directly, so a
case it hands over to tokenize is not silently compared with itself.

The fast properties run in every test run with a fixed seed; `pytest -m soak` runs them with
many more random examples; `pytest -m corpus` compares both on every nova 31 file that
mentions noqa.
"""

from __future__ import annotations

import io
import os
import random
import tokenize
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evlint import suppress
from evlint.ruleset import bundled_rules_dir, load_rules
from evlint.suppress import Directive, Directives, parse_directives

pytestmark = pytest.mark.skipif(
    not suppress._SCANNER_MATCHES_TOKENIZE, reason="Python 3.12+ reads noqa with tokenize itself"
)

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
}
FAST = settings(max_examples=300, derandomize=True, **_COMMON)  # type: ignore[arg-type]
# hypothesmith takes about a second a program
FAST_PROGRAMS = settings(max_examples=10, derandomize=True, **_COMMON)  # type: ignore[arg-type]
SOAK_PROGRAMS = settings(max_examples=300, **_COMMON)  # type: ignore[arg-type]
SOAK = settings(max_examples=20000, **_COMMON)  # type: ignore[arg-type]


def reference(text: str) -> Directives:
    return suppress._directives(suppress._tokenized_comments(text))


def scanned(text: str) -> Directives | None:
    comments = suppress._scanned_comments(text)
    return None if comments is None else suppress._directives(comments)


def indentation_error(text: str) -> bool:
    """tokenize stops at an inconsistent dedent, which the scanner does not track; the
    parser rejects such a file, so evlint never reads its noqa comments."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO(text).readline):
            pass
    except IndentationError:
        return True
    except (tokenize.TokenError, SyntaxError):
        return False
    return False


def assert_same(text: str) -> None:
    if indentation_error(text):
        parse_directives(text)  # still read without raising
        return
    expected = reference(text)
    assert parse_directives(text) == expected
    result = scanned(text)
    assert result is None or result == expected, text


BLANKET = Directive(None)

# (text, the directives tokenize finds): each is scanned without handing over to tokenize.
TRICKY = [
    ('x = """\n# noqa\n"""\n', {}),
    ('x = """\nabc\n"""  # noqa\ny = 1\n', {1: BLANKET, 2: BLANKET, 3: BLANKET}),
    ("x = f(a,\n      '''b\nc''')  # noqa: EVL101\n", {2: Directive(("EVL101",)), 3: Directive(("EVL101",))}),
    ("x = 1 + \\\n    2  # noqa: EVL101\n", {1: Directive(("EVL101",)), 2: Directive(("EVL101",))}),
    ('x = 1 + \\\n    """a\nb""" + \\\n    2  # noqa\n', {1: BLANKET, 2: BLANKET, 3: BLANKET, 4: BLANKET}),
    ("s = 'it\\'s # noqa'\n", {}),
    ('s = "a\\"# noqa" + "\\\\"  # noqa:EVL2\n', {1: Directive(("EVL2",))}),
    ('url = "http://x/#frag"  # NOQA:EVL101,EVL2\n', {1: Directive(("EVL101", "EVL2"))}),
    (
        'x = 1  # noqa\r\ny = """\r\n# noqa\r\n"""  # noqa: EVL1\r\n',
        {1: BLANKET, 2: Directive(("EVL1",)), 3: Directive(("EVL1",)), 4: Directive(("EVL1",))},
    ),
    ("\x0cimport os  # noqa\n\x0c\ndef f():\n    \x0c  pass  # noqa\n", {1: BLANKET, 4: BLANKET}),
    (
        'x = rb\'\\\\\' # noqa\ny = Rb"""\n#"""  # noqa\nz = f\'{a!r}#\'\n',
        {1: BLANKET, 2: BLANKET, 3: BLANKET},
    ),
    ("w = BR'#' U\"#\" fR'''#''' rF\"\"\"#\"\"\"  # noqa\n", {1: BLANKET}),
    (
        "x = ('a'  # noqa: EVL101\n     'b'\n     # noqa\n     'c')  # noqa: EVL2\n",
        {1: Directive(("EVL101",)), 3: BLANKET, 4: Directive(("EVL2",))},
    ),
    ("# noqa\nx = 1\n    # noqa: EVL101\n", {1: BLANKET, 3: Directive(("EVL101",))}),
    ("x = ''''''  # noqa\ny = '''a''''  # noqa\n", {1: BLANKET, 2: BLANKET}),  # a stray quote, then a comment
    ("x = 'abc # noqa\n", {1: BLANKET}),  # unclosed: an error token, then code
    # continued, never closed: one error token to the end of the next line, which is no NL
    ("x = 'abc\\\ndef # noqa\ny = 1  # noqa\n", {1: BLANKET, 2: BLANKET, 3: BLANKET}),
    ("x = 'a\\\nb\\\\\nc' # noqa\n", {1: BLANKET, 2: BLANKET, 3: BLANKET}),  # tokenize continues at `\\\\`
    # after a broken string a comment-only line is a new statement: an NL ends it, even at the end
    ("'\\\n\n    # noqa", {1: BLANKET, 2: BLANKET, 3: BLANKET}),
    ("x = 1  # noqa", {1: BLANKET}),
    ("x = 1 \\\n# noqa", {1: BLANKET}),  # no NEWLINE after a last line that starts with `#`
    ('x = 1 + """\n# """  # noqa', {1: BLANKET}),
    ("x = (1,\n     2  # noqa", {}),  # EOF in a multi-line statement: tokenize raises
    ("x = (1,  # noqa\n     2", {1: BLANKET}),
    ("x = 1\n\\", {}),
]


@pytest.mark.parametrize(("text", "lines"), TRICKY)
def test_tricky_cases_are_scanned_as_tokenize_reads_them(text: str, lines: dict[int, Directive]) -> None:
    assert reference(text) == Directives(lines, None)
    assert scanned(text) == Directives(lines, None)
    assert parse_directives(text) == Directives(lines, None)


@pytest.mark.parametrize(
    "text",
    [
        "x = '''abc # noqa\n",  # never closed: tokenize raises at the end of the file
        "x = 'abc\\\n",  # the file ends inside a continued string
        "if x:\n    \\\n  pass  # noqa\n",  # tokenize puts an INDENT on the backslash's row
        "x = 1  # noqa\n\\\ny = 2  # noqa\n",
    ],
)
def test_what_the_scanner_does_not_model_goes_to_tokenize(text: str) -> None:
    assert scanned(text) is None
    assert parse_directives(text) == reference(text)


def test_a_lone_carriage_return_ends_a_line_as_it_does_for_python() -> None:
    """(readline, and so tokenize, would read `x = 1\r# noqa` as one line.)"""
    assert parse_directives("x = 1\r# noqa\n") == Directives({2: BLANKET}, None)
    assert parse_directives("a = 1\r\nb = 2\r# noqa: EVL1\rc = 3\n") == Directives(
        {3: Directive(("EVL1",))}, None
    )


def test_file_directives_are_read_in_order_and_not_from_strings() -> None:
    text = "# evlint: noqa: EVL101, EVL2\nx = '# evlint: noqa'\n# evlint: noqa:EVL3\n"
    expected = Directives({}, Directive(("EVL101", "EVL2", "EVL3")))
    assert reference(text) == expected
    assert scanned(text) == expected


def test_rule_examples_with_noqa_at_every_line_end() -> None:
    rules = load_rules([bundled_rules_dir()])
    texts = [
        example.code
        for rule in rules
        for example in (*rule.invalid_examples, *rule.valid_examples)
        if example.path.endswith(".py")
    ]
    assert len(texts) > 50
    generator = random.Random(6)
    for text in texts:
        assert_same(text)
        assert_same(text.replace("\n", "  # noqa\n"))
        lines = text.splitlines(keepends=True)
        marked = [line.replace("\n", f"  # noqa: EVL{generator.randint(1, 999)}\n", 1) for line in lines]
        assert_same("".join(marked))


def with_noqa_comments(draw: st.DrawFn, program: str) -> str:
    lines = program.splitlines(keepends=True)
    comments = st.sampled_from(
        ["# noqa", "# NOQA:EVL101,EVL2", "#noqa: EVL1", "# evlint: noqa", "# x # noqa"]
    )
    for index in draw(st.lists(st.integers(0, max(len(lines) - 1, 0)), max_size=8)):
        if lines:
            line = lines[index]
            body = line.rstrip("\r\n")
            lines[index] = f"{body}  {draw(comments)}{line[len(body) :]}"
    return "".join(lines)


@st.composite
def programs_with_noqa(draw: st.DrawFn) -> str:
    return with_noqa_comments(draw, draw(hypothesmith.from_grammar()))


# Pieces that stress what the scanner models: quotes, escapes, prefixes, continuations,
# brackets, line ends, comments; most of what they make is not Python.
FRAGMENTS = [
    "x",
    " ",
    "\t",
    "\x0c",
    "\n",
    "\r\n",
    "\\\n",
    "\\",
    "'",
    '"',
    "'''",
    '"""',
    "rb",
    "f",
    "(",
    ")",
    "[",
    "]",
    "#",
    "# noqa",
    "  # noqa: EVL101",
    "# evlint: noqa",
    "'a # noqa'",
    '"\\""',
    "\\\\",
    "    ",
    ":",
    "\n    ",
]


@st.composite
def fragment_texts(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=40)))


@FAST_PROGRAMS
@given(programs_with_noqa())
def test_generated_programs_with_noqa_comments(text: str) -> None:
    assert_same(text)


@FAST
@given(fragment_texts())
def test_generated_fragments(text: str) -> None:
    assert_same(text)


@FAST
@given(st.text())
def test_any_text_is_read_without_raising(text: str) -> None:
    parse_directives(text + "# noqa")
    suppress._scanned_comments(text + "# noqa")


@pytest.mark.soak
@SOAK_PROGRAMS
@given(programs_with_noqa())
def test_soak_generated_programs_with_noqa_comments(text: str) -> None:
    assert_same(text)


@pytest.mark.soak
@SOAK
@given(fragment_texts())
def test_soak_generated_fragments(text: str) -> None:
    assert_same(text)


@pytest.mark.corpus
def test_every_nova_31_file_with_noqa() -> None:
    corpus = (
        Path(os.environ.get("EVLINT_CORPUS_DIR", Path.home() / ".cache" / "evlint-corpus")) / "nova-31.0.0"
    )
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is not there (../shared/corpus/fetch.sh nova==31.0.0)")
    checked = 0
    for path in sorted(corpus.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if suppress._ANY_NOQA.search(text) is None:
            continue
        assert scanned(text) == reference(text), path
        checked += 1
    assert checked > 40
