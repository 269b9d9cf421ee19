"""Every hostile or broken source of issue 5, served by the loopback server, one source (URL) each.

Each case lives on a host of its own, ``http://<case>.hostile.test/…``, reached through the loopback
server acting as the HTTP proxy (as ``tests/bladi_site.py`` does for www.bladi.net): the client's
per-host limits then treat the sources as a user's would be, each a different site, and the good
source (the small Bladi.net of ``tests/bladi_site.py``) shares nothing with the bad ones.

The payloads are planted with markers that cannot appear by chance, so that a test reading the
bytes a terminal received can tell a sequence that came from content from one Textual wrote:
``SE9TVElMRQ==`` (base64 of "HOSTILE") is the clipboard payload, ``PWNED-TITLE`` the window title,
``evil.example/osc8`` the hyperlink target.

    corpus = install(loopback)          # registers every route
    for case in corpus.cases: case.url  # one source each
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
import time
import zlib
from dataclasses import dataclass, field

from tests.bladi_site import FEED_URL as GOOD_FEED_URL
from tests.bladi_site import PAGES as GOOD_PAGES
from tests.bladi_site import feed_xml, page_html
from tests.loopback import LoopbackServer

MIB = 1024 * 1024
DOMAIN = "hostile.test"

# -- the payloads ----------------------------------------------------------------------------

OSC52_PAYLOAD = "SE9TVElMRQ=="  # base64 of "HOSTILE"
WINDOW_TITLE = "PWNED-TITLE"
OSC8_TARGET = "http://evil.example/osc8"

#: Every kind of control a terminal obeys: OSC 52 (clipboard), OSC 8 (hyperlink), OSC 0/2 (window
#: title), CSI (colour, clear screen, leave the alternate screen, report the window title, start
#: the printer: the last two are never written by Textual), the C1 forms of CSI, OSC, DCS,
#: ST and NEL, NUL/BEL/BS, and every bidi embedding, override, isolate and mark.
CONTROLS = (
    f"\x1b]52;c;{OSC52_PAYLOAD}\x07"
    f"\x1b]8;;{OSC8_TARGET}\x1b\\click\x1b]8;;\x1b\\"
    f"\x1b]0;{WINDOW_TITLE}\x07\x1b]2;{WINDOW_TITLE}\x1b\\"
    "\x1b[31mRED\x1b[0m\x1b[2J\x1b[?1049l\x1b[21t\x1b[5i"
    f"\x9b31mC1\x9d0;{WINDOW_TITLE}\x07\x90DCS\x9c\x85"
    "N\x00U\x07L\x08L"
    "\u202eRTLO\u202c\u2066LRI\u2069\u2067RLI\u2069\u2068FSI\u2069\u202aLRE\u202c\u202bRLE\u202c"
    "\u202dLRO\u202c\u200eLRM\u200fRLM\u061cALM\u2028LS\u2029PS"
)

#: Text that Rich or Textual would run as markup if it ever reached a markup-parsing widget.
MARKUP = "[/] [bold]B[/bold] [link=file:///etc/passwd]x[/link] [@click=app.quit]y[/]"
#: The literal strings the terminal must show (each short enough to stay on one screen line).
MARKUP_SHOWN = ("[bold]B[/bold]", "[link=file:///etc/passwd]x[/link]", "[@click=app.quit]y[/]")

_REFERENCED = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def as_references(text: str) -> str:
    """``text`` with every control written as an XML/HTML character reference, hex and decimal
    in turn (``&#x1b;``, ``&#155;``), the way a feed or page smuggles it past a byte filter."""
    count = 0

    def reference(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        code = ord(match.group())
        return f"&#x{code:x};" if count % 2 else f"&#{code};"

    return _REFERENCED.sub(reference, text)


def xml_text(text: str) -> str:
    """Raw text inside an XML element: markup characters escaped, controls left raw."""
    return html.escape(text, quote=False)


# -- the cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str  # the host is <name>.hostile.test
    what: str
    url: str
    fails: str = ""  # a regex the one-sentence reason must match; "" for a source that loads
    articles: int | None = None  # how many articles a source that loads gives (None: one or more)


@dataclass
class Corpus:
    cases: list[Case]
    #: When each request of a timed route arrived (time.monotonic()), by case name.
    arrivals: dict[str, list[float]] = field(default_factory=dict)
    server: LoopbackServer | None = None

    def case(self, name: str) -> Case:
        return next(case for case in self.cases if case.name == name)

    @property
    def urls(self) -> list[str]:
        return [case.url for case in self.cases]


def url(name: str, path: str = "/feed.xml") -> str:
    return f"http://{name}.{DOMAIN}{path}"


RSS = "application/rss+xml; charset=utf-8"


def rss(
    channel_title: str, items: list[str], *, declaration: str = '<?xml version="1.0" encoding="utf-8"?>'
) -> str:
    return (
        f'{declaration}\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
        f"<channel><title>{channel_title}</title><link>http://site.example/</link>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n"
    )


def item(
    title: str,
    *,
    guid: str = "",
    link: str = "",
    author: str = "",
    category: str = "",
    description: str = "",
    content: str = "",
    date: str = "",
) -> str:
    parts = [f"<title>{title}</title>"]
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if link:
        parts.append(f"<link>{link}</link>")
    if author:
        parts.append(f"<dc:creator>{author}</dc:creator>")
    if category:
        parts.append(f"<category>{category}</category>")
    if description:
        parts.append(f"<description>{description}</description>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


# Hostile articles are dated in the future, newest first, so that they head the article list and
# a test in a terminal opens them with Enter and `n`.
def _future(n: int) -> str:
    return f"Mon, 0{n} Jan 2099 12:00:00 +0000"


def _hostile_page(title: str) -> str:
    """An article page carrying every payload, raw and as references, in its metadata and text."""
    raw, refs = CONTROLS, as_references(CONTROLS)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{xml_text(raw)}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{title} {html.escape(MARKUP)} {refs}">
<meta name="author" content="{refs} {html.escape(MARKUP)}">
<meta property="article:section" content="{refs}Rubrique">
<meta property="article:tag" content="{refs}tag">
<meta name="description" content="{refs}">
<meta property="article:published_time" content="2099-01-01T12:00:00+00:00">
</head><body><article>
<h1>{title} {xml_text(MARKUP)} {refs}</h1>
<p>Page brute : {xml_text(raw)}</p>
<p>Page en références : {refs} {xml_text(MARKUP)}</p>
<p>Liens : <a href="javascript:alert(1)">js</a> <a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>
<a href="file:///etc/passwd">file</a> <a href="ftp://evil.example/f">ftp</a> <a href="vbscript:msgbox(1)">vbs</a>
<a href="&#x6a;avascript:alert(1)">js2</a> <a href="java&#x09;script:alert(1)">js3</a>
<a href="{OSC8_TARGET}&#27;]52;c;{OSC52_PAYLOAD}&#7;">osc-in-url</a> <a href="https://ok.example/page">ok</a></p>
<p>[x](javascript:alert(1)) &lt;ftp://evil.example/auto&gt; <img src="data:image/png;base64,AAAA" alt="img"></p>
<script>document.write("SCRIPT-RAN")</script>
</article></body></html>"""


def _hostile_feeds() -> dict[str, tuple[str, str, str]]:
    """name -> (what, body, content type) for the feeds whose every field is hostile."""
    raw, refs = CONTROLS, as_references(CONTROLS)
    feeds: dict[str, tuple[str, str, str]] = {}

    feeds["markup"] = (
        "markup lookalikes in every field",
        rss(
            xml_text(MARKUP),
            [
                item(
                    f"MK {xml_text(MARKUP)}",
                    guid="mk-1",
                    link=url("markup", "/a"),
                    author=xml_text(MARKUP),
                    category=xml_text(MARKUP),
                    description=xml_text(f"<p>Résumé {MARKUP}</p>"),
                    content=f"<p>Corps {html.escape(MARKUP)}</p><p>{MARKUP}</p>",
                    date=_future(9),
                )
            ],
        ),
        RSS,
    )

    feeds["ctl-raw"] = (
        "raw control bytes in titles, summaries, bodies, tags, authors, channel, link",
        rss(
            xml_text(raw),
            [
                item(
                    f"RAW {xml_text(raw)}",
                    guid=f"raw-1{xml_text(raw)}",
                    link=f"http://raw.example/a{xml_text(raw)}",
                    author=xml_text(raw),
                    category=xml_text(raw),
                    description=xml_text(f"Résumé {raw}"),
                    content=f"<p>Corps {raw}</p>",
                    date=_future(8),
                ),
                item(f"RAW2 {xml_text(raw)}", guid="raw-2", description=xml_text(f"<p>HTML {raw}</p>")),
            ],
        ),
        RSS,
    )

    feeds["ctl-refs"] = (
        "controls as character references (&#27; &#x9b; &#x202e;) in every field",
        rss(
            refs,
            [
                item(
                    f"REF {refs}",
                    guid=f"ref-1{refs}",
                    link=f"http://ref.example/a{refs}",
                    author=refs,
                    category=refs,
                    description=f"Résumé {refs}",
                    content=f"<p>Corps {refs}</p><p>{html.escape(refs)}</p>",
                    date=_future(7),
                ),
                item(f"REF2 {refs}", guid="ref-2", description=html.escape(f"<p>HTML {refs}</p>")),
            ],
        ),
        RSS,
    )

    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": raw,
        "home_page_url": "javascript:alert(1)",
        "items": [
            {
                "id": "json-1" + raw,
                "title": f"JSON {raw} {MARKUP}",
                "url": "javascript:alert(1)",
                "content_html": f"<p>Corps {raw} {refs}</p><a href='file:///etc/passwd'>f</a>",
                "summary": raw,
                "authors": [{"name": raw + MARKUP}],
                "tags": [raw, MARKUP],
                "date_published": "2099-01-06T12:00:00Z",
            }
        ],
    }
    feeds["json"] = (
        "a JSON Feed with \\u001b escapes everywhere",
        json.dumps(json_feed),
        "application/feed+json",
    )

    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">{refs}</title><id>urn:atom</id>
<updated>2099-01-05T12:00:00Z</updated>
<entry><title type="text">ATOM {refs} {xml_text(MARKUP)}</title><id>atom-1</id>
<link href="ftp://evil.example/atom"/><updated>2099-01-05T12:00:00Z</updated>
<author><name>{refs}</name></author><category term="{refs}"/>
<summary type="text">{refs}</summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>XHTML {refs}</p>
<a href="javascript:alert(1)">js</a></div></content></entry></feed>"""
    feeds["atom"] = ("an Atom feed: text and XHTML constructs with references", atom, "application/atom+xml")

    links_content = (
        '<p>Liens : <a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a> '
        '<a href="file:///etc/passwd">file</a> <a href="ftp://evil.example/f">ftp</a> '
        '<a href="vbscript:x">vbs</a> <a href="//evil.example/proto">proto</a> '
        '<a href="relative/page.html">relative</a> <a href="https://ok.example/page">ok</a></p>'
        '<p>[md](javascript:alert(1)) &lt;ftp://evil.example/auto&gt; <img src="file:///etc/passwd" alt="i"></p>'
    )
    feeds["links"] = (
        "javascript:, data:, file:, ftp: links in an item and as its <link>",
        rss(
            "Liens",
            [
                item(
                    "LINKS",
                    guid="links-1",
                    link="javascript:alert(1)",
                    content=links_content,
                    date=_future(4),
                ),
                item("LINKS file", guid="links-2", link="file:///etc/passwd", description="x"),
                item("LINKS ftp", guid="links-3", link="ftp://evil.example/", description="y"),
                item(
                    "LINKS gt",
                    guid="links-4",
                    link="http://gt.example/a&gt;&lt;ftp://evil.example/x&gt;",
                    description="z",
                ),
            ],
        ),
        RSS,
    )

    feeds["ctl-page"] = (
        "a feed whose item's page (read for the full text) is hostile",
        rss(
            "Page",
            [
                item(
                    "PAGE intro",
                    guid="page-1",
                    link=url("ctl-page", "/article.html"),
                    description="Intro.",
                    date=_future(3),
                )
            ],
        ),
        RSS,
    )
    return feeds


def _broken_feeds() -> dict[str, tuple[str, bytes, str, int | None]]:
    """name -> (what, body, content type, articles expected) for feeds broken but readable."""
    feeds: dict[str, tuple[str, bytes, str, int | None]] = {}
    feeds["invalid-xml"] = (
        "invalid XML: bare &, undefined entities, mismatched and unclosed tags",
        (
            b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tom & Jerry &bogus;</title>'
            b"<item><title>Invalide un &nbsp; & deux</title><guid>inv-1</guid>"
            b"<description>d <b>gras</i></description></item>"
            b"<item><title>Invalide deux</title><guid>inv-2</guid><description><<<>>> &#xd800; &#x110000;</description>"
            b"</item></channel><item><title>dehors"
        ),
        RSS,
        None,
    )
    feeds["truncated"] = (
        "a body cut short in the middle of an item",
        (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Coupé</title>'
            "<item><title>Entier</title><guid>cut-1</guid><description>complet</description></item>"
            "<item><title>Coupé en pleine</title><guid>cut-2</guid><description>phr"
        ).encode(),
        RSS,
        None,
    )
    feeds["latin1-declared"] = (
        "latin-1, declared in the XML declaration",
        (
            '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Latin</title>'
            "<item><title>Sécurité à Fès</title><guid>l1-1</guid><description>Été</description></item>"
            "</channel></rss>"
        ).encode("latin-1"),
        "application/rss+xml",
        1,
    )
    feeds["latin1-undeclared"] = (
        "latin-1 bytes, declared nowhere",
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Latin</title>'
            "<item><title>Sécurité à Meknès</title><guid>l2-1</guid><description>Été</description></item>"
            "</channel></rss>"
        ).encode("latin-1"),
        "application/xml",
        1,
    )
    feeds["bom"] = (
        "a UTF-8 byte order mark before the declaration",
        b"\xef\xbb\xbf"
        + (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>BOM</title>'
            "<item><title>Avec BOM : Tétouan</title><guid>bom-1</guid><description>ok</description></item>"
            "</channel></rss>"
        ).encode(),
        RSS,
        1,
    )
    feeds["empty-feed"] = ("a valid feed with no item", rss("Vide", []).encode(), RSS, 0)
    feeds["dup-guid"] = (
        "three items with the same GUID",
        rss(
            "Doublons", [item(f"Doublon {n}", guid="same-guid", description=f"n{n}") for n in range(3)]
        ).encode(),
        RSS,
        1,
    )
    feeds["dates"] = (
        "missing, invalid and future dates",
        rss(
            "Dates",
            [
                item("Sans date", guid="d-1", description="a"),
                item("Date invalide", guid="d-2", description="b", date="not a date at all"),
                item("Date impossible", guid="d-3", description="c", date="Thu, 31 Feb 2024 25:61:00 +9999"),
                item("Date lointaine", guid="d-4", description="d", date="Fri, 01 Jan 9999 00:00:00 +0000"),
                item("Année 10000", guid="d-5", description="e", date="10000-01-01T00:00:00Z"),
                item("Date zéro", guid="d-6", description="f", date="0000-00-00T00:00:00"),
            ],
        ).encode(),
        RSS,
        6,
    )
    feeds["xxe"] = (
        "external entities: a local file and a URL on loopback (XXE, SSRF)",
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY file SYSTEM "file:///etc/passwd">'
            b'<!ENTITY web SYSTEM "http://127.0.0.1:9/ssrf">]><rss version="2.0"><channel><title>&file;</title>'
            b"<item><title>XXE &file;&web;</title><guid>xxe-1</guid><description>&file; &web;</description></item>"
            b"</channel></rss>"
        ),
        RSS,
        1,
    )
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    feeds["entity-bomb"] = (
        "a billion laughs: nested internal entities",
        (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "ha">{laughs}]><rss version="2.0"><channel>'
            "<title>&l9;</title><item><title>LOL &l9;</title><guid>lol-1</guid></item></channel></rss>"
        ).encode(),
        RSS,
        None,
    )
    feeds["huge-title"] = (
        "a 1 MB title",
        rss(
            "Titre énorme",
            [item("T" + "Très long titre " * 65_536, guid="huge-title-1", description="court")],
        ).encode(),
        RSS,
        1,
    )
    return feeds


#: 10,000 nested elements around the only sentence of the page.
DEEP_SENTENCE = "Phrase tout au fond de dix mille niveaux."


def deep_html(levels: int = 10_000) -> bytes:
    opening = "".join(("<div>", "<span>", "<section>", "<b>")[n % 4] for n in range(levels))
    closing = "".join(("</div>", "</span>", "</section>", "</b>")[n % 4] for n in reversed(range(levels)))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Profond</title></head><body><article>'
        f"<h1>Profond</h1>{opening}<p>{DEEP_SENTENCE}</p>{closing}</article></body></html>"
    ).encode()


@functools.cache
def gzip_bomb() -> bytes:
    """1 GiB of zeros as one gzip stream of about 1 MB (the construction of tests/test_http.py:
    after a full flush a deflate block does not refer back, so one compressed MiB repeats)."""
    block = bytes(MIB)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = crc.to_bytes(4, "little") + (1024 * MIB & 0xFFFFFFFF).to_bytes(4, "little")
    return header + compressed * 1024 + deflate.flush() + trailer


# -- the server side -------------------------------------------------------------------------


def _streamed(total: int):
    def handler(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.end_headers()
        chunk = b"<" * 65536
        for _ in range(total // len(chunk)):
            request.wfile.write(chunk)

    return handler


def _declares(total: int):
    def handler(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", str(total))
        request.end_headers()
        request.pause(5)  # the body never comes: the client must refuse on the header alone

    return handler


def _bomb(request) -> None:
    bomb = gzip_bomb()
    request.send_response(200)
    request.send_header("Content-Type", "application/rss+xml")
    request.send_header("Content-Encoding", "gzip")
    request.send_header("Content-Length", str(len(bomb)))
    request.end_headers()
    for start in range(0, len(bomb), 65536):
        request.wfile.write(bomb[start : start + 65536])


def _stall(request) -> None:
    request.pause(30)  # accepts the request and never answers


def _stall_after_headers(request) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "application/rss+xml")
    request.send_header("Content-Length", "5000")
    request.end_headers()
    request.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
    request.wfile.flush()
    request.pause(30)


def _drip(request) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "application/rss+xml")
    request.end_headers()
    for byte in rss("Goutte", [item("Goutte", guid="drip")]).encode():
        request.wfile.write(bytes([byte]))
        request.wfile.flush()
        if not request.pause(1.0):  # one byte a second: always under the read timeout
            return


def _timed(arrivals: list[float], status: int, headers: dict[str, str]):
    lock = threading.Lock()

    def handler(request) -> None:
        with lock:
            arrivals.append(time.monotonic())
        request.send_body(status, b"", headers)

    return handler


def install(server: LoopbackServer) -> Corpus:
    """Register every case on ``server`` (which must be the HTTP proxy of the client) and return them."""
    cases: list[Case] = []
    corpus = Corpus(cases)

    def add(
        name: str, what: str, *, fails: str = "", articles: int | None = None, path: str = "/feed.xml"
    ) -> str:
        address = url(name, path)
        cases.append(Case(name, what, address, fails, articles))
        return address

    # The good source: Bladi.net's feed and its two article pages.
    server.route(GOOD_FEED_URL, feed_xml(GOOD_PAGES), content_type=RSS, headers={"ETag": '"feed-v1"'})
    for page in GOOD_PAGES:
        server.route(page.url, page_html(page))
    cases.append(
        Case("good", "a good feed (Bladi.net, two articles read from their pages)", GOOD_FEED_URL, "", 2)
    )

    for name, (what, body, content_type) in _hostile_feeds().items():
        server.route(add(name, what), body, content_type=content_type)
    server.route(url("ctl-page", "/article.html"), _hostile_page("PAGE"))
    server.route(
        add(
            "page",
            "an article page given as the source, hostile everywhere",
            articles=1,
            path="/article.html",
        ),
        _hostile_page("ARTICLE"),
    )

    for name, (what, body, content_type, articles) in _broken_feeds().items():
        server.route(add(name, what, articles=articles), body, content_type=content_type)

    server.route(
        add("html", "an HTML page where a feed is expected", fails="no feed found"),
        "<!DOCTYPE html><html><head><title>Accueil</title></head><body><p>Pas de flux ici.</p></body></html>",
    )
    server.route(
        add("empty-body", "an empty answer", fails="no feed found"), b"", content_type="application/rss+xml"
    )

    deep_feed = rss(
        "Profond",
        [
            item(
                "Article profond", guid="deep-1", link=url("deep", "/page.html"), description="Intro du flux."
            )
        ],
    )
    server.route(
        add("deep", "an item whose page nests 10,000 elements", articles=1), deep_feed, content_type=RSS
    )
    server.route(url("deep", "/page.html"), deep_html())

    for status, phrase in (
        (403, r"refuses access \(HTTP 403\)"),
        (404, r"not found on the server \(HTTP 404\)"),
        (410, r"no longer exists \(HTTP 410\)"),
        (500, r"in trouble \(HTTP 500\)"),
    ):
        server.route(add(f"status-{status}", f"HTTP {status}", fails=phrase), "non", status=status)
    for name, status, retry_after, fails in (
        ("status-429", 429, "1", r"^the site asks to slow down \(HTTP 429\)$"),
        ("status-503", 503, "1", r"^the server is in trouble \(HTTP 503\)$"),
        ("status-429-long", 429, "7200", r"\(HTTP 429\); it asks to wait 2 h"),
    ):
        arrivals = corpus.arrivals.setdefault(name, [])
        server.route_handler(
            add(name, f"HTTP {status} with Retry-After: {retry_after}", fails=fails),
            _timed(arrivals, status, {"Retry-After": retry_after, "Content-Type": "text/plain"}),
        )

    server.route_handler(
        add("stall", "a server that accepts and never answers", fails=r"within \d+ s|sent nothing"), _stall
    )
    server.route_handler(
        add("stall-body", "a server that stalls after its headers", fails=r"within \d+ s|sent nothing"),
        _stall_after_headers,
    )
    server.route_handler(
        add("drip", "a body dripped one byte a second", fails=r"no complete answer within \d+ s"), _drip
    )

    server.route(
        add("redirect-loop", "a redirect loop", fails="too many redirects", path="/a"),
        status=302,
        headers={"Location": "/b"},
    )
    server.route(url("redirect-loop", "/b"), status=302, headers={"Location": "/a"})
    for name, location in (
        ("redirect-file", "file:///etc/passwd"),
        ("redirect-ftp", "ftp://evil.example/feed"),
        ("redirect-js", "javascript:alert(1)"),
        ("redirect-data", "data:text/xml,<rss/>"),
    ):
        server.route(
            add(
                name,
                f"a redirect to {location}",
                fails=r"redirect to an address that is not a web address refused",
            ),
            status=302,
            headers={"Location": location},
        )

    server.route_handler(add("huge", "a 64 MiB body", fails="exceeded 8 MiB"), _streamed(64 * MIB))
    server.route_handler(
        add("huge-declared", "a body declared as 64 MiB", fails="exceeded 8 MiB"), _declares(64 * MIB)
    )
    # Built now, not in the handler: a checksum over the GiB takes seconds on a busy machine, and
    # the client's read timeout would end the wait for the headers before the bomb was ever sent.
    gzip_bomb()
    server.route_handler(add("bomb", "a gzip bomb: 1 GiB from about 1 MB", fails="exceeded 8 MiB"), _bomb)
    return corpus
