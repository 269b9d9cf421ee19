"""A Bladi.net article with pictures, served by the loopback server as the proxy for
www.bladi.net and img.bladi.net: a lead photo (the SPIP illustration) above the lead, an inline
picture in the body, and hostile pictures (a decompression bomb, a tracking pixel, a truncated
JPEG, a 30 MB file, an SVG), all made here at test time, never committed."""

from __future__ import annotations

import io
import struct
import zlib
from html import escape

import pytest
from PIL import Image

from tests.bladi_site import FEED_URL, SITE, Page, feed_xml

IMG = "http://img.bladi.net"
PHOTO_URL = f"{IMG}/IMG/arton116300.jpg"
MAP_URL = f"{SITE}/IMG/png/carte-116300.png"
HOSTILE = {
    "bomb": f"{SITE}/IMG/png/bombe.png",
    "pixel": f"{SITE}/IMG/gif/suivi.gif",
    "truncated": f"{SITE}/IMG/jpg/tronquee.jpg",
    "huge": f"{SITE}/IMG/jpg/trente-mo.jpg",
    "svg": f"{SITE}/IMG/dessin",
}
# Top half red, bottom half blue: the half-block cells show both.
RED, BLUE = (220, 30, 30), (30, 60, 220)

PAGE = Page(
    slug="port-tanger-med-photos,116300.html",
    title="Tanger Med en images",
    date_line="16 décembre 2023 - 15h00 - Maroc - Ecrit par : S.A",
    dc_date="2023-12-16T14:00:00Z",
    rubrique="Maroc",
    tags=["Tanger"],
    author="S.A",
    lead="Le port de Tanger Med a battu son record de conteneurs cette année.",
    paragraphs=[
        "Les grues ont tourné jour et nuit pendant les fêtes.",
        "La carte ci-dessous montre les nouveaux quais.",
        "Le port vise un nouveau record l'an prochain.",
    ],
)


def photo_jpeg(width: int = 320, height: int = 200) -> bytes:
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (0, height // 2, width, height))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def map_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 120), (40, 160, 60)).save(out, "PNG")
    return out.getvalue()


def bomb_png(side: int = 20_000) -> bytes:
    """A PNG that declares ``side`` x ``side`` pixels, with a few rows of data: decoding it would
    ask for gigabytes; a reader must refuse it from its header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + 3 * side) * 16, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def pixel_gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 1), (255, 255, 255)).save(out, "GIF")
    return out.getvalue()


def hostile_bodies() -> dict[str, tuple[bytes, str]]:
    jpeg = photo_jpeg(640, 400)
    return {
        "bomb": (bomb_png(), "image/png"),
        "pixel": (pixel_gif(), "image/gif"),
        "truncated": (jpeg[: len(jpeg) // 2], "image/jpeg"),
        "huge": (b"\xff\xd8\xff\xe0" + bytes(30 * 1024 * 1024), "image/jpeg"),
        "svg": (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="9000" height="9000"><text>x</text></svg>',
            "image/svg+xml",
        ),
    }


def page_html(hostile: bool = False) -> str:
    first, second, third = (escape(p) for p in PAGE.paragraphs)
    bad = (
        "".join(f'<p><img src="{url}" alt="Piège {name}"></p>' for name, url in HOSTILE.items())
        if hostile
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{escape(PAGE.title)} - Bladi.net</title></head>
<body>
<div class="magauche pas article">
<h1>{escape(PAGE.title)}</h1>
<p class="datenews mbs">{escape(PAGE.date_line)}</p>
<img class="spip_logo" src="//img.bladi.net/IMG/arton116300.jpg" alt="Les quais de Tanger Med">
<div class="mbs mtm"><strong><p>{escape(PAGE.lead)}</p></strong></div>
<div class="mtl mbm"><p>{first}</p><p>{second}</p><p><img src="/IMG/png/carte-116300.png" alt="La carte des quais"></p>
<p>{third}</p>{bad}
<p><img src="https://www.facebook.com/tr?id=1&amp;ev=PageView" width="1" height="1"></p></div>
</div>
<footer>Bladi.net - 2023</footer>
</body></html>"""


def serve(loopback, monkeypatch, *, hostile: bool = False):
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, loopback.base_url)
    for name in ("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    loopback.route(FEED_URL, feed_xml([PAGE]), content_type="application/rss+xml; charset=utf-8")
    loopback.route(PAGE.url, page_html(hostile))
    loopback.route(PHOTO_URL, photo_jpeg(), content_type="image/jpeg", headers={"ETag": '"photo-1"'})
    loopback.route(MAP_URL, map_png(), content_type="image/png")
    if hostile:
        for name, (body, kind) in hostile_bodies().items():
            loopback.route(HOSTILE[name], body, content_type=kind)
    return loopback


@pytest.fixture
def picture_site(loopback, monkeypatch):
    """The loopback server answering for www.bladi.net and img.bladi.net (through HTTP_PROXY)."""
    return serve(loopback, monkeypatch)


@pytest.fixture
def hostile_picture_site(loopback, monkeypatch):
    return serve(loopback, monkeypatch, hostile=True)
