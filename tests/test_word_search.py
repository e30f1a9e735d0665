"""`word_search.WordSearch` says of each word what `word in text` says, in one pass.

The pre-filter and the project index's reader test look up every word they ask about in
the set it returns, so it must agree with `in` exactly: for words with any bytes (NUL, bytes
that are not UTF-8, RE2's own syntax), words inside each other, the empty word, and many
more words than fit one RE2 set.
"""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from evlint import word_search
from evlint.word_search import WordSearch

ALPHABET = b"ab.*(\\\n\x00\xff\xe9"
small_bytes = st.binary(max_size=6).map(lambda b: bytes(ALPHABET[x % len(ALPHABET)] for x in b))
texts = st.lists(small_bytes, max_size=30).map(b"".join)


@settings(max_examples=1500, deadline=None)
@given(st.lists(small_bytes, max_size=12), texts)
def test_the_words_held_are_those_in_the_text(words: list[bytes], text: bytes) -> None:
    for search in (WordSearch(words), WordSearch(words, per_text=0), WordSearch(words, per_text=99)):
        held = search.held_by(text)
        assert {word for word in words if word in held} == {word for word in words if word in text}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.binary(min_size=20, max_size=40), min_size=60, max_size=120), st.binary(max_size=2000))
def test_many_long_words_are_split_over_sets_and_each_is_still_found(
    words: list[bytes], noise: bytes
) -> None:
    text = noise + b"".join(words[::3])
    assert len(word_search._chunks(tuple(sorted(set(words))))) > 1 or len(set(words)) < 60
    held = WordSearch(words).held_by(text)
    assert {word for word in words if word in held} == {word for word in words if word in text}


def test_a_search_pickles_for_a_spawned_worker() -> None:
    search = WordSearch([b"eventlet", b"greenlet", b"tpool", b"spawn", b"import *"])
    assert search.held_by(b"from eventlet import *") == {b"eventlet", b"import *"}
    copy = pickle.loads(pickle.dumps(search))
    assert copy.held_by(b"x = tpool.spawn") == {b"tpool", b"spawn"}
    few = pickle.loads(pickle.dumps(WordSearch([b"eventlet", b"spawn"])))
    assert [word in few.held_by(b"x = tpool.spawn") for word in few.words] == [False, True]
