"""A long article is laid out in a process of its own (tui.layout_process): the same links and
chunks as laid out here, only followable links, and nothing ever waits for it."""

from __future__ import annotations

import threading

from tests.hostile.articles import links_article
from tui.article_layout import lay_out
from tui.layout_process import LayoutProcess

CODE = "Début.\n\n```\n" + "\n".join(f"ligne {n} = {n * 2}" for n in range(20_000)) + "\n```\n\nFin."
HOSTILE = (
    "[page](https://exemple.ma/a) [script](javascript:alert(1)) [fichier](file:///etc/passwd)"
    " ![photo](https://exemple.ma/p.jpg) [donnée](data:text/html,x) [local](voisin.md)\n\n"
) * 2_000


def test_the_process_lays_out_as_this_process_does():
    layouts = LayoutProcess()
    try:
        for document in (links_article(3_000), CODE, HOSTILE, "court", ""):
            assert layouts.lay_out(document) == lay_out(document)
        links, chunks = layouts.lay_out(HOSTILE) or ([], [])
        assert [link.url for link in links] == [
            "https://exemple.ma/a",
            "https://exemple.ma/p.jpg",
            "voisin.md",
        ]
        assert len(chunks) > 10
    finally:
        layouts.stop()


def test_one_parse_finds_each_link_once_in_reading_order():
    links, chunks = lay_out(links_article(8_000))
    assert [link.url for link in links] == [f"https://links.example/{n}" for n in range(8_000)]
    assert [link.text for link in links[:2]] == ["lien 0", "lien 1"]
    assert "".join(chunks).replace("\n", "") == links_article(8_000).replace("\n", "")


def test_a_newer_document_is_not_kept_waiting_by_an_older_one():
    layouts = LayoutProcess()
    try:
        layouts.lay_out("chauffe")  # the process is up
        older: list[object] = []
        first = threading.Thread(target=lambda: older.append(layouts.lay_out(links_article(200_000))))
        first.start()
        while not layouts._busy:  # the older document is being laid out
            first.join(0.01)
        newer = layouts.lay_out("[lien](https://exemple.ma/b)")
        first.join(60)
        assert older == [None]  # given up: its process was ended
        assert newer is not None and [link.url for link in newer[0]] == ["https://exemple.ma/b"]
    finally:
        layouts.stop()


def test_the_process_ends_when_stopped_or_when_its_input_closes():
    layouts = LayoutProcess()
    layouts.lay_out("un")
    process = layouts._process
    assert process is not None
    layouts.stop()
    assert process.wait(30) is not None
    layouts.lay_out("deux")  # started again when needed
    process = layouts._process
    assert process is not None and process.stdin is not None
    process.stdin.close()  # as when the reader ends without a word
    assert process.wait(30) == 0
    assert layouts.lay_out("trois") is not None  # a dead process is replaced
    layouts.stop()


def test_where_no_process_can_start_the_caller_is_told_so(monkeypatch, tmp_path):
    import sys

    monkeypatch.setattr(sys, "executable", str(tmp_path / "pas-de-python"))
    assert LayoutProcess().lay_out("[lien](https://exemple.ma/c)") is None  # the view lays it out itself


def test_an_idle_process_ends_and_the_next_document_starts_another():
    layouts = LayoutProcess(idle_exit=0.5)
    try:
        assert layouts.lay_out("un") == lay_out("un")
        process = layouts._process
        assert process is not None
        assert process.wait(30) == 0  # ended on its own, idle
        assert layouts.lay_out("[deux](https://exemple.ma/d)") == lay_out("[deux](https://exemple.ma/d)")
        assert layouts._process is not process
    finally:
        layouts.stop()
