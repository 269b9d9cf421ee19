"""A LazyPattern answers as the compiled pattern does, and compiles only when first used."""

from __future__ import annotations

import copy
import re

import pytest

from tui.lazy_pattern import LazyPattern


def test_a_lazy_pattern_answers_as_the_compiled_one():
    lazy = LazyPattern(r"(?P<word>\w+)\.(?P<n>[0-9]+)", re.S)
    eager = re.compile(r"(?P<word>\w+)\.(?P<n>[0-9]+)", re.S)
    for text in ("", "abc.12 et le reste", "sans nombre", "é.3\n x.4"):
        assert lazy.sub("<>", text) == eager.sub("<>", text)
        found, expected = lazy.search(text), eager.search(text)
        assert (found and found.groupdict()) == (expected and expected.groupdict())
        assert bool(lazy.fullmatch(text)) == bool(eager.fullmatch(text))
        assert lazy.findall(text) == eager.findall(text)
    assert (lazy.pattern, lazy.flags, lazy.groupindex) == (eager.pattern, eager.flags, eager.groupindex)


def test_a_lazy_pattern_is_compiled_when_first_used_not_when_made():
    broken = LazyPattern("(unclosed")  # made at import, like every module's patterns
    with pytest.raises(re.error):
        broken.search("text")


def test_a_copy_of_a_lazy_pattern_still_answers():
    lazy = LazyPattern("[0-9]+")
    assert copy.copy(lazy).findall("a1b22") == ["1", "22"]
    lazy.search("1")
    assert copy.deepcopy(lazy).findall("a1b22") == ["1", "22"]
