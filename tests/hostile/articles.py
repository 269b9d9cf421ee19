"""Bodies of the hostile articles the reader must open without freezing (issue 14), shared by the
tests (tests/hostile/test_ui_bounded.py) and the benchmark (benchmarks/hostile_articles.py)."""

from __future__ import annotations


def links_article(count: int, per_paragraph: int = 100) -> str:
    """``count`` distinct web links, ``per_paragraph`` to a paragraph: "[lien 0](https://links.example/0) …"."""
    return "\n\n".join(
        " ".join(
            f"[lien {n}](https://links.example/{n})" for n in range(start, min(count, start + per_paragraph))
        )
        for start in range(0, count, per_paragraph)
    )
