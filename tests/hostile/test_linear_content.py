"""Content that made the reader's own code quadratic: many links, long runs of spaces, deep TOML.

The bounds here are ten times what linear code needs on a loaded machine and a tenth of what the
quadratic code took (issue 14: 38.5 s and 19.6 s): they catch the regression, not a speed target
(benchmarks/ holds those).
"""

from __future__ import annotations

import asyncio
import time

from tui.article_layout import lay_out
from tui.config import SourceSpec
from tui.model import ALL
from tui.refresh import refresh_sources
from tui.sources.local import local_links, read_local_source
from tui.store import Store


def _seconds(work) -> tuple[object, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def test_an_item_of_8000_links_lists_them_in_linear_time():
    markdown = " ".join(f"[lien {i}](https://example.org/{i})" for i in range(8000))
    links, seconds = _seconds(lambda: lay_out(markdown)[0])
    assert [link.text for link in links[:2]] == ["lien 0", "lien 1"] and len(links) == 8000
    assert links[-1].url == "https://example.org/7999"
    assert seconds < 30  # quadratic took minutes; this bound only tells the two apart on a busy machine


def test_link_text_is_gathered_between_its_own_open_and_close():
    links = lay_out("[a **b** c](https://x.org/) avant [d](javascript:alert(1)) [e](https://y.org/)")[0]
    assert [(link.text, link.url) for link in links] == [("a b c", "https://x.org/"), ("e", "https://y.org/")]


def test_local_link_patterns_are_linear_in_runs_of_spaces(tmp_path):
    page = tmp_path / "a.md"
    for hostile in (
        "[a](" + " " * 40_000,
        "[a](x" + " " * 40_000 + "'",
        "[a](" + "b" * 40_000 + " ",
        "[a]: " + "x" * 40_000 + "y\n",
        "[a]:" + " " * 40_000 + "\n",
    ):
        result, seconds = _seconds(lambda text=hostile: local_links(text, page, tmp_path))
        assert seconds < 2.0, (hostile[:8], seconds)
        assert result.strip() == hostile.strip() or "javascript" not in result


def test_local_link_patterns_still_read_every_form(tmp_path):
    (tmp_path / "b.md").write_text("x", encoding="utf-8")
    page = tmp_path / "a.md"
    text = "[a](  <b.md>  'titre' ) [c]( https://e.org/x ) [j](javascript:x) ![i](b.md \"t\")\n\n[r]: b.md\n"
    assert local_links(text, page, tmp_path) == (
        "[a](<b.md>) [c](<https://e.org/x>) j ![i](<b.md>)\n\n[r]: <b.md>\n"
    )


DEEP = "+++\ntitle = 'profond'\nx = " + "[" * 600 + "]" * 600 + "\n+++\nTexte.\n"


def test_deep_toml_in_front_matter_skips_that_file_with_its_reason(tmp_path):
    (tmp_path / "deep.md").write_text(DEEP, encoding="utf-8")
    (tmp_path / "ok.md").write_text("# Bon\n\nTexte.\n", encoding="utf-8")
    read = read_local_source(tmp_path, "Dossier")
    assert [article.title for article in read.articles] == ["Bon"]
    assert read.problems == ["deep.md: front matter is nested too deeply"]


def test_deep_toml_in_front_matter_never_fails_the_whole_fetch(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "deep.md").write_text(DEEP, encoding="utf-8")
    (folder / "ok.md").write_text("# Bon\n\nTexte.\n", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "autre.md").write_text("# Autre\n\nTexte.\n", encoding="utf-8")
    store = Store(tmp_path / "s.sqlite3")
    specs = [
        SourceSpec(name="Dossier", path=str(folder), kind="local"),
        SourceSpec(name="Autre", path=str(other), kind="local"),
    ]
    outcomes = {o.name: o for o in asyncio.run(refresh_sources(store, specs, offline=True))}
    assert "deep.md" in outcomes["Dossier"].error and "nested too deeply" in outcomes["Dossier"].error
    assert not outcomes["Autre"].error
    titles = sorted(store.article(rowid).article.title for rowid in store.topic_rowids(ALL))
    assert titles == ["Autre", "Bon"]
    store.close()
