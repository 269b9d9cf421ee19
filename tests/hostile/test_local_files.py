"""Local folders are untrusted too: file names, front matter and links of an unpacked archive."""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.hostile.conftest import UNSAFE
from tests.hostile.corpus import OSC52_PAYLOAD, WINDOW_TITLE
from tui.config import SourceSpec
from tui.model import ALL
from tui.refresh import refresh_sources
from tui.sources.local import LocalSourceError, read_local_source
from tui.store import Store

NAME = f"\x1b]52;c;{OSC52_PAYLOAD}\x07\x1b]0;{WINDOW_TITLE}\x07\x9b31m\u202e"


def test_file_names_are_cleaned_wherever_a_message_names_them(tmp_path):
    (tmp_path / f"{NAME}broken.md").write_text("+++\ntitle = \n+++\n", encoding="utf-8")
    (tmp_path / f"{NAME}untitled.md").write_text("no title, no heading\n", encoding="utf-8")
    (tmp_path / "big.md").write_bytes(b"")
    os.truncate(tmp_path / "big.md", 17 * 1024 * 1024)  # over the 16 MiB cap, without writing it
    store = Store(tmp_path / "s.sqlite3")
    spec = SourceSpec(name="Dossier", path=str(tmp_path), kind="local")
    (outcome,) = asyncio.run(refresh_sources(store, [spec], offline=True))
    assert outcome.error.startswith("2 file(s) could not be read: ") and "broken.md" in outcome.error
    assert not UNSAFE.search(outcome.error)
    assert not UNSAFE.search(store.sources()[0].last_error)
    titles = [store.article(rowid).article.title for rowid in store.topic_rowids(ALL)]
    assert len(titles) == 1 and not UNSAFE.search(titles[0]) and titles[0].endswith("untitled")
    store.close()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loops_and_a_missing_folder_are_one_sentence(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    (tmp_path / "self.md").symlink_to(tmp_path / "self.md")
    (tmp_path / "ok.md").write_text("# Titre\n\nTexte.\n", encoding="utf-8")
    read = read_local_source(tmp_path, "x")
    assert [article.title for article in read.articles] == ["Titre"]
    with pytest.raises(LocalSourceError) as caught:
        read_local_source(tmp_path / f"{NAME}gone", "x")
    assert not UNSAFE.search(str(caught.value)) and "neither a file nor a folder" in str(caught.value)
