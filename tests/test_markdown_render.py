"""How an article's Markdown reads in the terminal, and what `show` prints for other tools."""

from __future__ import annotations

import io

from rich.console import Console

from tests.test_cli import run
from tui.article_markdown import to_markdown
from tui.model import Article
from tui.ui.markdown_render import ArticleMarkdown


def rendered(markdown: str, width: int = 40) -> list[str]:
    """The lines drawn, without the blank line Rich puts before a document that opens with a
    list or a picture (an article opens with its title)."""
    console = Console(width=width, file=io.StringIO(), color_system=None)
    lines = [
        "".join(segment.text for segment in line).rstrip()
        for line in console.render_lines(ArticleMarkdown(markdown), console.options, pad=False)
    ]
    return lines[1:] if lines and not lines[0] else lines


def test_a_picture_stays_where_the_sentence_puts_it():
    lines = rendered("Image : ![Photo du port](https://example.org/port.jpg) prise hier.", width=60)
    assert lines == ["Image : [Image\u00a0: Photo du port] prise hier."]


def test_a_paragraph_that_is_one_picture_is_its_placeholder_until_it_is_drawn():
    lines = rendered("Avant.\n\n![Le port](https://example.org/port.jpg)\n\nAprès.")
    assert lines == ["Avant.", "", "[Image\u00a0: Le port]", "", "Après."]


def test_numbered_items_keep_their_dot():
    assert rendered("1. Un\n2. Deux") == [" 1. Un", " 2. Deux"]


def test_one_blank_line_between_blocks_before_tables_lists_and_code():
    lines = rendered(
        "Avant.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nPuis.\n\n```\ncode\n```\n\nFin.\n\n- x\n\nEt."
    )
    text = "\n".join(lines)
    assert "\n\n\n" not in text, lines
    assert lines[0] == "Avant." and lines[1] == "" and "a" in lines[2]
    assert lines[lines.index("Puis.") + 2].strip() == "code"


def test_show_prints_markdown_other_tools_read(tmp_path):
    article = Article(
        guid="x",
        title="Un titre",
        lead="Un chapeau avec du **gras** dedans.",
        body="Le texte.",
        tags=["Football", "Maroc"],
    )
    plain = to_markdown(article, reader=False)
    assert "**Un chapeau avec du gras dedans.**" in plain
    assert "bladi-topic:" not in plain and "Football - Maroc" in plain
    # The reader's own document keeps its topic links.
    assert "bladi-topic:" in to_markdown(article)
    # And the command itself, on a local article file.
    (tmp_path / "a.md").write_text(
        '+++\ntitle = "Un titre"\nlead = "Du **gras** ici."\ntags = ["Football"]\n+++\nTexte.\n',
        encoding="utf-8",
    )
    shown = run("show", str(tmp_path / "a.md"), tmp_path=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "**Du gras ici.**" in shown.stdout and "bladi-topic:" not in shown.stdout
