"""Which of a file's fixes are applied together: the first of any two whose edits clash,
in order of their first edit. The bookkeeping that made this linear must choose exactly as
checking every pair did (a property test against that reference). A fix whose own edits
clash is never applied (spliced together they would garble the text)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from evlint.fix.apply import _clash_within, _overlaps, _Taken

Span = tuple[int, int, str]

spans = st.builds(
    lambda start, width, text: (start, start + width, text),
    st.integers(0, 40),
    st.integers(0, 4),
    st.sampled_from(["", "x"]),
)
fixes = st.lists(st.lists(spans, min_size=1, max_size=3).map(sorted), max_size=25)


def _pairwise(fix_spans: list[list[Span]]) -> list[int]:
    taken: list[Span] = []
    accepted = []
    for index, group in enumerate(fix_spans):
        if _clash_within(group) or any(_overlaps(span, other) for span in group for other in taken):
            continue
        taken.extend(group)
        accepted.append(index)
    return accepted


def _bisected(fix_spans: list[list[Span]]) -> list[int]:
    taken = _Taken()
    accepted = []
    for index, group in enumerate(fix_spans):
        if _clash_within(group) or any(taken.clashes(span) for span in group):
            continue
        taken.add(group)
        accepted.append(index)
    return accepted


@settings(max_examples=500, deadline=None, derandomize=True)
@given(fixes)
def test_the_fixes_chosen_are_those_a_check_of_every_pair_chooses(fix_spans: list[list[Span]]) -> None:
    ordered = sorted(fix_spans, key=lambda group: group[0][0])  # as apply_fixes orders them
    assert _bisected(ordered) == _pairwise(ordered)
