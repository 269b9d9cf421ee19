"""The sanitizer's test of whether text needs cleaning (tui.sanitize.is_clean), which takes a
road through str.isprintable before its search."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.sanitize import _NEEDS_CLEANING, clean_text, is_clean, is_printable_text


def test_every_character_cleaning_changes_is_unprintable_and_none_of_the_allowed_ones() -> None:
    changed = [chr(code) for code in range(sys.maxunicode + 1) if _NEEDS_CLEANING.match(chr(code))]
    assert len(changed) > 200  # C0, C1, bidi controls, separators, tags, surrogates
    assert [char for char in changed if char.isprintable()] == []
    assert not any(_NEEDS_CLEANING.match(char) for char in "\n\t\xa0\u202f ")


# Text as feeds give it, with the characters either road could get wrong mixed in.
_CHARACTERS = st.one_of(
    st.sampled_from("ab é’«»\n\t\r\xa0\u202f\u200b\u200d\u00ad\ufeff\x1b\x85\x9b\u061c\u202e\u2028\u2066"),
    st.sampled_from(["\U000e0041", "\U000e0000", "\ud800", "\udfff", "\U0001f600", "\u0300"]),
    st.characters(),
)


@settings(max_examples=3000, deadline=None)
@given(st.text(_CHARACTERS, max_size=40))
def test_is_clean_says_what_the_search_says_and_what_cleaning_does(text: str) -> None:
    assert is_clean(text) == (_NEEDS_CLEANING.search(text) is None) == (clean_text(text) == text)


def test_french_text_with_no_break_spaces_and_line_ends_is_clean_and_a_hidden_control_is_not() -> None:
    text = "« Le Maroc » :\u202fl’économie\xa0?\n\n\t- une liste"
    assert is_clean(text) and clean_text(text) == text
    for hidden in ("\x1b[31m", "\u202e", "\u2028", "\r", "\U000e0041", "\x9b"):
        assert not is_clean(text + hidden), repr(hidden)


@settings(max_examples=2000, deadline=None)
@given(st.text(_CHARACTERS, max_size=40))
def test_printable_text_holds_no_control_character(text: str) -> None:
    if is_printable_text(text):
        assert not any(0x80 <= ord(char) <= 0x9F or ord(char) < 0x20 and char not in "\n\t" for char in text)


def test_long_urls_are_judged_but_never_remembered():
    """The judgement of a URL is remembered for links of a usual length only: a hostile feed's
    huge links cannot fill the memory of a long session."""
    from tui.sanitize import (
        _remembered_is_simple_web_url,
        _remembered_is_web_url,
        is_simple_web_url,
        is_web_url,
    )

    huge = "https://e.ma/" + "a" * 100_000
    before = (
        _remembered_is_web_url.cache_info().currsize,
        _remembered_is_simple_web_url.cache_info().currsize,
    )
    for number in range(50):
        assert is_web_url(f"{huge}{number}") and is_simple_web_url(f"{huge}{number}")
        assert not is_web_url(f"javascript:{huge}{number}")
    after = (
        _remembered_is_web_url.cache_info().currsize,
        _remembered_is_simple_web_url.cache_info().currsize,
    )
    assert after == before
    assert is_web_url("https://e.ma/court") and not is_web_url("javascript:court")
