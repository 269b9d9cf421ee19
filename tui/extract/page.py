"""One web page in, one :class:`~tui.model.Article` out; and the two questions asked of a page
given as a SOURCE: is it an article, and which feeds does it advertise.

A site with rules (Bladi.net) is read by them; whatever they miss — all of it, if the site was
redesigned — comes from generic extraction and the page's metadata, never an empty article.
"""

from __future__ import annotations

import codecs
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.extract.generic import PageMetadata, main_text, read_metadata, related_links
from tui.extract.html_tree import parse_html, within_depth
from tui.extract.images import images_in, lead_image, markdown_image
from tui.extract.markdown import link_target
from tui.extract.site_rules import extract_with_rules
from tui.extract.sites import rules_for
from tui.model import Article, fold
from tui.sanitize import clean_line, clean_url

_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
# The encodings a web page may declare; utf-7, unicode_escape and friends are not among them.
_WEB_CODECS = re.compile(
    r"^(utf-8|cp\d+|iso8859-\d+|koi8-\w+|mac-\w+|gb2312|gbk|gb18030|big5|big5hkscs|shift_jis\w*|"
    r"euc_\w+|iso2022_\w+|tis-620|hz)$"
)
_ASCII = bytes(range(128))
_UNESCAPE = re.compile(r"\\(.)")


def same_article_globs(url: str) -> tuple[str, ...]:
    """SQLite GLOB patterns matching every URL form of the article at ``url`` on a site with
    rules (``https://www.bladi.net/103006`` and ``…/slug,103006.html``); () for other URLs."""
    rules = rules_for(url)
    number = rules.article_number(url) if rules is not None else None
    if rules is None or number is None:
        return ()
    return tuple(
        f"http*://{host}{form.format(id=number)}" for host in rules.hosts for form in rules.article_globs
    )


def extract_article(
    html: str | bytes, url: str, *, source: str = "", allow_relative: bool = False
) -> Article:
    """The article on a page fetched from ``url``; every string in it is sanitized.

    ``allow_relative`` keeps in-folder relative links as written (local files, see
    :func:`~tui.extract.markdown.html_to_markdown`).
    """
    # Bounded once, for lexbor and for trafilatura's lxml alike.
    text = within_depth(decode_html(html) if isinstance(html, bytes) else html)
    url = clean_url(url)
    tree = LexborHTMLParser(text)
    rules = rules_for(url)
    article = extract_with_rules(tree, url, rules) if rules else Article(guid=url, url=url, title="")
    if not article.body:
        article.body, body_cut = main_text(tree, text, url, allow_relative=allow_relative)
        article.cut = article.cut or body_cut
        if article.lead and fold(article.lead[:80]) in fold(article.body):
            article.lead = ""
    if rules is None and not article.related:
        article.related = related_links(tree, url)
    _fill_from_metadata(article, read_metadata(tree))
    article.body = _without_title_heading(article.body, article.title)
    _add_lead_photo(article, tree, url, rules.lead_image if rules else ())
    article.source = clean_line(source, 200)
    article.location = url
    article.full_text = bool(article.body)
    return article


def is_article_page(html: str | bytes, url: str) -> bool:
    """Whether a page given as a SOURCE is one article (else it is a site whose feeds are sought):
    a site rule's article URL, ``og:type=article``, or exactly one top-level ``<article>``."""
    rules = rules_for(url)
    if rules is not None and rules.is_article_url(url):
        return True
    tree = parse_html(decode_html(html) if isinstance(html, bytes) else html)
    for node in tree.css('meta[property="og:type"], meta[name="og:type"]'):
        if (node.attributes.get("content") or "").strip().lower() == "article":
            return True
    top_level = [node for node in tree.css("article") if not _inside_article(node)]
    return len(top_level) == 1


def page_title(html: bytes) -> str:
    """What a page calls itself (its metadata's title, cleaned): a site's name for its source
    when the feed found on it has no title of its own."""
    return read_metadata(parse_html(decode_html(html))).title


def discover_feeds(html: str | bytes, base_url: str) -> list[str]:
    """The feeds a page advertises (``<link rel="alternate">`` of a feed type), as absolute http(s)
    URLs in page order; for a site with rules that advertises none, the site's known feeds."""
    tree = parse_html(decode_html(html) if isinstance(html, bytes) else html)
    base = clean_url(base_url)
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = link_target(base_node.attributes.get("href"), base) or base
    feeds: list[str] = []
    for node in tree.css("link[rel][href]"):
        attrs = node.attributes
        rel = (attrs.get("rel") or "").lower().split()
        kind = (attrs.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in _FEED_TYPES:
            target = link_target(attrs.get("href"), base)
            if target and target not in feeds:
                feeds.append(target)
    rules = rules_for(base_url)
    if not feeds and rules is not None:
        feeds.extend(rules.feeds)
    return feeds


def decode_html(data: bytes, declared: str = "") -> str:
    """Text of an HTML document: BOM first, then ``declared`` (an HTTP charset), then the page's
    own ``<meta>`` charset; undeclared pages are UTF-8 if they decode as such, else Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    head = data[:_SNIFF_BYTES]
    sniffed = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    for label in (declared, sniffed.group(1).decode("ascii") if sniffed else ""):
        encoding = _web_codec(label)
        if encoding == "utf-8":
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("utf-8", "replace")
                # A few bad bytes in a UTF-8 page: keep it. No UTF-8 at all: a mislabelled legacy page.
                if 2 * text.count("\ufffd") < len(data.translate(None, _ASCII)):
                    return text
                break
        if encoding:
            return data.decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _web_codec(label: str) -> str:
    """Python's codec for a declared charset label, or "" if it is not a web encoding."""
    try:
        name = codecs.lookup(label.strip().lower()).name if label.strip() else ""
    except LookupError:
        return ""
    if name in ("iso8859-1", "ascii"):  # as browsers do (WHATWG)
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")) or name == "utf-8-sig":  # a page read as ASCII to find it
        return "utf-8"
    return name if _WEB_CODECS.match(name) else ""


def _fill_from_metadata(article: Article, meta: PageMetadata) -> None:
    article.title = article.title or meta.title
    article.date = article.date or meta.date
    article.author = article.author or meta.author
    article.rubrique = article.rubrique or meta.rubrique
    article.tags = article.tags or meta.tags
    article.summary = article.summary or meta.description


def _add_lead_photo(article: Article, tree: LexborHTMLParser, url: str, selectors: tuple[str, ...]) -> None:
    """The lead photo as the first block of the lead (or of the body when there is no lead),
    unless the text already shows that picture."""
    photo = lead_image(tree, url, selectors)
    if photo is None or any(shown == photo[1] for _, shown in images_in(f"{article.lead}\n\n{article.body}")):
        return
    image = markdown_image(*photo)
    if article.lead:
        article.lead = f"{image}\n\n{article.lead}"
    elif article.body:
        article.body = f"{image}\n\n{article.body}"


def _without_title_heading(body: str, title: str) -> str:
    """The body without a first heading that only repeats the title (generic extraction keeps it)."""
    first, _, rest = body.partition("\n\n")
    if first.startswith("#") and fold(_UNESCAPE.sub(r"\1", first.lstrip("#"))) == fold(title):
        return rest
    return body


def _inside_article(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "article":
            return True
        parent = parent.parent
    return False
