"""RSS feeds with their full text (``content:encoded``), served on loopback: 50 feeds of 100
items on one host, or 500 feeds of 20 items over 50 hosts (127.0.0.2-51, one port).

The feeds are well-formed RSS 2.0 as French news sites publish them: title, link, guid,
pubDate, author, categories (the rubrique, then tags), a plain description and the article as
HTML. Item links point to ``.example`` hosts that no rule of the app knows, and every item
carries its full text: neither reader has a page to fetch, both read exactly the feeds.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from benchmarks.corpus import CASABLANCA, RUBRIQUES, FrenchText, capitalize, tag_pool

FEEDS = 50
ITEMS = 100
# The scale of a heavy newsboat user: many feeds, spread over many hosts (issue 16).
MANY_FEEDS = 500
MANY_ITEMS = 20
MANY_HOSTS = 50


def _html(text: FrenchText, paragraphs: int) -> str:
    parts = []
    for index in range(paragraphs):
        paragraph = escape(text.random.choice(text.paragraphs))
        if index == 1:
            parts.append(f"<h2>{escape(capitalize(text.title()))}</h2>")
        if index == 2:
            link = f"https://presse-{text.random.randrange(50):02d}.example/article-{text.random.randrange(10**6)}.html"
            parts.append(
                f'<p><strong>À lire :</strong> <a href="{link}">{escape(capitalize(text.title()))}</a></p>'
            )
        parts.append(f"<p>{paragraph}</p>")
    return "\n".join(parts)


def make_feed(number: int, *, items: int = ITEMS, seed: int = 2024, now: datetime | None = None) -> bytes:
    text = FrenchText(seed * 1000 + number)
    r = text.random
    now = now or datetime.now(CASABLANCA).replace(microsecond=0)
    host = f"presse-{number:02d}.example"
    tags = tag_pool(300)
    names = [name for name, _ in RUBRIQUES]
    weights = [weight for _, weight in RUBRIQUES]
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>Presse {number:02d} : l'actualité du Maroc</title>",
        f"<link>https://{host}/</link>",
        "<description>Toute l'actualité du Maroc et des Marocains du monde</description>",
        "<language>fr</language>",
    ]
    for index in range(items):
        date = now - timedelta(minutes=20 * index + number)
        link = f"https://{host}/article-{number:02d}-{index:03d}.html"
        content = _html(text, r.randint(3, 5))
        summary = text.random.choice(text.paragraphs)[:280]
        categories = [r.choices(names, weights)[0]] + r.sample(tags, r.randint(2, 5))
        out += [
            "<item>",
            f"<title>{escape(capitalize(text.title()))}</title>",
            f"<link>{link}</link>",
            f'<guid isPermaLink="true">{link}</guid>',
            f"<pubDate>{format_datetime(date)}</pubDate>",
            f"<dc:creator>{escape(r.choice(('S.A', 'Y.B', 'A. Lemrini', 'K. Alaoui')))}</dc:creator>",
            *(f"<category>{escape(c)}</category>" for c in categories),
            f"<description>{escape(summary)}</description>",
            f"<content:encoded><![CDATA[{content}]]></content:encoded>",
            "</item>",
        ]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out).encode("utf-8")


class FeedServer:
    """A ThreadingHTTPServer serving ``/feed/NN.xml`` from memory, in a thread, on 127.0.0.1, or
    with ``hosts`` > 1 on 127.0.0.2 and up (one port, one server per address; Linux routes the
    whole of 127/8 to loopback): feed N is on host N modulo ``hosts``. No ETag, no
    Last-Modified: a refresh must read every body again, as from many real servers."""

    def __init__(self, feeds: int = FEEDS, items: int = ITEMS, seed: int = 2024, hosts: int = 1) -> None:
        now = datetime.now(CASABLANCA).replace(microsecond=0)
        width = 2 if feeds <= 100 else 3
        self.documents = {
            f"/feed/{n:0{width}d}.xml": make_feed(n, items=items, seed=seed, now=now) for n in range(feeds)
        }
        self._made = (feeds, items, seed, width, now)
        self.requests = 0
        self.hosts = hosts
        documents, server = self.documents, self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real server offers

            def do_GET(self) -> None:
                server.requests += 1
                body = documents.get(self.path.split("?", 1)[0])
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:
                pass

        addresses = ["127.0.0.1"] if hosts <= 1 else [f"127.0.0.{2 + n}" for n in range(hosts)]
        self._servers: list[ThreadingHTTPServer] = []
        port = 0
        for address in addresses:
            httpd = ThreadingHTTPServer((address, port), Handler)
            httpd.daemon_threads = True
            port = httpd.server_address[1]
            self._servers.append(httpd)
        self._httpd = self._servers[0]
        self._threads = [
            threading.Thread(target=httpd.serve_forever, name="feed-server", daemon=True)
            for httpd in self._servers
        ]

    def renew(self, later: timedelta = timedelta(hours=1)) -> None:
        """Every feed changed: the same items (titles, text), each dated ``later``."""
        feeds, items, seed, width, now = self._made
        for n in range(feeds):
            self.documents[f"/feed/{n:0{width}d}.xml"] = make_feed(n, items=items, seed=seed, now=now + later)

    @property
    def urls(self) -> list[str]:
        port = self._httpd.server_address[1]
        addresses = [httpd.server_address[0] for httpd in self._servers]
        return [
            f"http://{addresses[number % len(addresses)]}:{port}{path}"
            for number, path in enumerate(self.documents)
        ]

    @property
    def total_bytes(self) -> int:
        return sum(len(d) for d in self.documents.values())

    def __enter__(self) -> FeedServer:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        for httpd in self._servers:
            httpd.shutdown()
            httpd.server_close()
