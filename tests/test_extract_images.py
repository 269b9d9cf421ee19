"""Extraction keeps the article's pictures as Markdown images, in place, and drops what only
looks like one: tracking pixels, ad hosts, icons, share buttons, non-web addresses."""

from __future__ import annotations

from markdown_it import MarkdownIt

from tui.article_markdown import to_markdown
from tui.extract.images import images_in
from tui.extract.markdown import html_to_markdown
from tui.extract.page import extract_article

BASE = "https://news.example.com/2024/03/article.html"


def test_inline_pictures_stay_in_their_sentence_with_alt_and_caption() -> None:
    html = (
        '<p>Avant <img src="/a.jpg" alt="Le port"> après.</p>'
        '<figure><a href="/grand.jpg"><img src="/b.jpg"></a><figcaption>La digue au matin</figcaption></figure>'
    )
    assert html_to_markdown(html, BASE) == (
        "Avant ![Le port](https://news.example.com/a.jpg) après.\n\n"
        "![La digue au matin](https://news.example.com/b.jpg)\n\n*La digue au matin*"
    )


def test_pixels_ad_hosts_icons_and_share_buttons_are_dropped() -> None:
    html = (
        "<p>Texte"
        '<img src="/p.gif" width="1" height="1">'
        '<img src="https://ad.doubleclick.net/x.gif">'
        '<img src="https://pixel.wp.com/g.gif?v=1">'
        '<img class="wp-smiley emoji" src="/s.png" alt=":)">'
        '<img src="/icons/print.png" alt="Imprimer">'
        '<a href="https://www.facebook.com/sharer.php"><img src="/fb.png" alt="Facebook"></a>'
        '<img src="/bouton.png" alt="Suivez-nous sur WhatsApp">'
        '<img src="/logo.svg" alt="Logo">'
        '<img src="data:image/png;base64,AAAA" alt="inline">'
        '<img src="javascript:alert(1)" alt="js">'
        '<img src="/vraie.jpg" alt="La vraie photo" width="800" height="500">'
        " fin</p>"
    )
    markdown = html_to_markdown(html, BASE)
    assert images_in(markdown) == [("La vraie photo", "https://news.example.com/vraie.jpg")]
    assert "Facebook" not in markdown and "WhatsApp" not in markdown


def test_alt_text_is_sanitized_and_stays_text() -> None:
    html = '<p><img src="/a.jpg" alt="\x1b]52;c;aGk=\x07 [x](javascript:y) **gras**\u202e"></p>'
    markdown = html_to_markdown(html, BASE)
    assert "\x1b" not in markdown and "\u202e" not in markdown and "\x07" not in markdown
    [(alt, url)] = images_in(markdown)
    assert url == "https://news.example.com/a.jpg"
    assert "[x](javascript:y)" in alt  # the text as written, never a link
    inline = [t for block in MarkdownIt("commonmark").parse(markdown) for t in block.children or ()]
    assert [t.type for t in inline if t.type in ("image", "link_open")] == ["image"]


def test_text_cannot_forge_an_image() -> None:
    markdown = html_to_markdown("<p>Voici ![x](https://evil.example/p.png) et [img x](https://e/y)</p>", BASE)
    assert images_in(markdown) == []


def test_the_lead_photo_comes_from_the_page_and_shows_above_the_lead() -> None:
    html = """<html><head><meta property="og:image" content="/photo-une.jpg">
    <meta property="og:image:alt" content="La une"><title>Titre</title></head>
    <body><article><h1>Titre</h1><p>Premier paragraphe assez long pour être le texte principal de la page,
    avec plusieurs phrases qui en font un article.</p><p>Un second paragraphe, lui aussi assez long pour compter
    dans l'extraction générique du texte de l'article.</p></article></body></html>"""
    article = extract_article(html, BASE)
    assert article.body.startswith("![La une](<https://news.example.com/photo-une.jpg>)\n\n")
    document = to_markdown(article)
    assert document.index("![La une]") < document.index("Premier paragraphe")


def test_bladi_illustration_is_the_lead_photo_above_the_bold_lead() -> None:
    html = """<html><head><meta charset="utf-8"></head><body><div class="magauche pas article">
    <h1>Un titre</h1><p class="datenews mbs">16 décembre 2023 - 15h00 - Maroc - Ecrit par : S.A</p>
    <img class="spip_logo" src="//img.bladi.net/IMG/arton116201.jpg" alt="Rabat, la nuit">
    <div class="mbs mtm"><strong><p>Le chapeau de l'article.</p></strong></div>
    <div class="mtl mbm"><p>Le corps <img src="/IMG/jpg/carte.jpg" alt="La carte"> du texte.</p></div>
    </div></body></html>"""
    article = extract_article(html, "https://www.bladi.net/un-titre,116201.html")
    document = to_markdown(article)
    photo = document.index("![Rabat, la nuit](<https://img.bladi.net/IMG/arton116201.jpg>)")
    assert photo < document.index("**Le chapeau de l'article.**")
    assert "Le corps ![La carte](https://www.bladi.net/IMG/jpg/carte.jpg) du texte." in document
