"""Pictures in the core: decoding under caps (hostile files included, memory measured in a child
process), the disk cache (LRU under its cap, dropped with its articles by retention), and loading
through the HTTP client (5 MB cap, conditional GET, offline from the cache)."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import textwrap
import time

import pytest
from PIL import Image

from tests.picture_site import bomb_png, photo_jpeg, pixel_gif
from tui.config import Config, RetentionSettings
from tui.images.cache import MIB, PictureCache, pictures_folder
from tui.images.decode import BOX, PictureRefused, decode_picture
from tui.images.load import MAX_PICTURE_BYTES, PictureLoader, picture_limits
from tui.model import Article
from tui.net.http import HttpClient
from tui.net.limits import FetchLimits
from tui.refresh import apply_retention
from tui.store import Store


def refused(data: bytes) -> str:
    with pytest.raises(PictureRefused) as caught:
        decode_picture(data)
    return caught.value.reason


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def test_a_photo_is_decoded_to_rgb_within_the_box():
    picture = decode_picture(photo_jpeg(3000, 2000))
    assert picture.image.mode == "RGB"
    assert picture.image.width <= BOX[0] and picture.image.height <= BOX[1]
    assert (picture.width, picture.height) == (3000, 2000)


@pytest.mark.parametrize("kind", ["PNG", "GIF", "WEBP"])
def test_png_gif_and_webp_are_read(kind):
    picture = decode_picture(encoded(Image.new("RGBA", (64, 40), (10, 200, 10, 128)), kind))
    assert picture.image.size == (64, 40)


def test_an_animation_shows_its_first_frame():
    frames = [Image.new("RGB", (40, 40), color) for color in ((255, 0, 0), (0, 0, 255))]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    picture = decode_picture(data)
    red, green, blue = picture.image.getpixel((20, 20))
    assert red > 200 and blue < 50


def test_hostile_files_are_refused_with_their_reason():
    assert refused(bomb_png()) == "too_many_pixels"  # from its header: 20,000 x 20,000
    assert refused(pixel_gif()) == "tiny"
    jpeg = photo_jpeg(640, 400)
    assert refused(jpeg[: len(jpeg) // 2]) == "broken"
    assert refused(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') == "format"
    assert refused(b'<?xml version="1.0"?><svg/>') == "format"
    assert refused(encoded(Image.new("RGB", (40, 40)), "TIFF")) == "format"
    assert refused(encoded(Image.new("RGB", (40, 40)), "BMP")) == "format"
    assert refused(b"") in ("format", "broken")
    assert refused(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64) in ("format", "broken")


def test_metadata_never_reaches_the_picture():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Title", "\x1b]52;c;SGk=\x07 [link=file:///etc/passwd]x[/link]")
    picture = decode_picture(encoded(Image.new("RGB", (40, 40)), "PNG", pnginfo=info))
    assert not picture.image.info  # only pixels are kept


def test_memory_stays_under_300_mib_whatever_the_picture(tmp_path):
    """In a child process, so the figure is the decoding's alone: the bomb, the largest picture
    allowed (a 6000 x 4000 JPEG and PNG), and garbage."""
    (tmp_path / "bomb.png").write_bytes(bomb_png())
    script = textwrap.dedent(
        f"""
        import io, resource, sys
        from PIL import Image
        from tui.images.decode import PictureRefused, decode_picture
        results = []
        def attempt(data):
            try:
                decode_picture(data)
                results.append("ok")
            except PictureRefused as refused:
                results.append(refused.reason)
        attempt(open({str(tmp_path / "bomb.png")!r}, "rb").read())
        for kind in ("JPEG", "PNG"):
            out = io.BytesIO()
            Image.effect_noise((6000, 4000), 64).convert("RGB").save(out, kind)
            data = out.getvalue()
            del out
            attempt(data)
            del data
        attempt(b"\\xff\\xd8\\xff\\xe0" + bytes(5 * 1024 * 1024))
        print(" ".join(results), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        """
    )
    # Through a small Python of its own: a child's ru_maxrss starts from the size of the process
    # it was forked from (pytest, hundreds of MiB late in a serial run), not from its own.
    starter = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"
    done = subprocess.run(
        [sys.executable, "-c", starter, sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    *results, peak_mib = done.stdout.split()
    assert results == ["too_many_pixels", "ok", "ok", "format"]
    print(f"\npeak RSS decoding the bomb, 24 MP JPEG and PNG, 5 MB of garbage: {peak_mib} MiB")
    assert int(peak_mib) < 300


def test_the_cache_drops_the_least_recently_shown_first(tmp_path):
    cache = PictureCache(tmp_path / "images", max_bytes=3 * 1000)
    for name in "abc":
        cache.put(f"https://img.example/{name}.jpg", bytes(1000), article="x")
        time.sleep(0.02)  # distinct modification times: the order of use
    assert cache.get("https://img.example/a.jpg") is not None  # a is used again: b is now the oldest
    cache.put("https://img.example/d.jpg", bytes(1000), article="x")
    assert cache.get("https://img.example/b.jpg") is None
    assert all(cache.get(f"https://img.example/{name}.jpg") for name in "acd")
    assert cache.size() <= 3 * 1000


def test_retention_drops_a_picture_with_its_last_article(tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    store.ensure_source("src", "Source")
    old = Article(guid="https://news.example/old", title="Vieux", url="https://news.example/old", body="x")
    new = Article(guid="https://news.example/new", title="Neuf", url="https://news.example/new", body="y")
    store.upsert_articles("src", [old])
    store.upsert_articles("src", [new])
    cache = PictureCache(pictures_folder(store.path))
    cache.put("https://img.example/old.jpg", b"old", article=old.id)
    cache.put("https://img.example/shared.jpg", b"shared", article=old.id)
    cache.note_article("https://img.example/shared.jpg", new.id)
    # A cap of one article: the older one goes, and its own picture with it.
    assert apply_retention(store, RetentionSettings(max_age_days=0, max_articles=1), []) == 1
    assert store.known_ids([old.id, new.id]) == {new.id}
    assert cache.get("https://img.example/old.jpg") is None
    assert cache.get("https://img.example/shared.jpg") is not None  # the new one still shows it
    store.close()


def test_the_picture_cap_is_5_mb_and_the_config_has_its_keys():
    assert picture_limits(FetchLimits()).max_bytes == MAX_PICTURE_BYTES == 5 * MIB
    assert Config().images == "auto" and Config().retention.images_mb == 200


async def test_loading_uses_the_cap_conditional_get_and_the_cache_offline(loopback, tmp_path):
    photo = photo_jpeg()
    seen: list[str] = []

    def answer(request):
        seen.append(request.headers.get("if-none-match", ""))
        if request.headers.get("if-none-match") == '"v1"':
            request.send_body(304, b"", {"ETag": '"v1"'})
        else:
            request.send_body(200, photo, {"Content-Type": "image/jpeg", "ETag": '"v1"'})

    loopback.route_handler("/photo.jpg", answer)
    loopback.route("/huge.jpg", b"\xff\xd8" + bytes(30 * MIB), content_type="image/jpeg")
    cache = PictureCache(tmp_path / "images")
    client = HttpClient(picture_limits(FetchLimits()))
    try:
        loader = PictureLoader(cache, client)
        first = await loader.load(loopback.url("/photo.jpg"), "article-1")
        second = await loader.load(loopback.url("/photo.jpg"), "article-1")
        huge = await loader.load(loopback.url("/huge.jpg"))
    finally:
        await client.aclose()
    assert first.picture is not None and second.picture is not None
    assert seen == ["", '"v1"']  # the second asks "has it changed?" and gets a 304
    assert huge.picture is None and huge.reason == "too_large"
    offline = PictureLoader(cache, None)
    again = await offline.load(loopback.url("/photo.jpg"))
    assert again.picture is not None
    missing = await offline.load(loopback.url("/never.jpg"))
    assert missing.reason == "offline"
    assert asyncio.get_running_loop()  # ran on the loop; decoding happened in a thread


def test_fetch_reads_no_picture_unless_asked_and_fetch_images_keeps_them(picture_site, tmp_path):
    from tests.bladi_site import FEED_URL
    from tests.picture_site import MAP_URL, PHOTO_URL
    from tests.test_cli import run

    proxy = {"HTTP_PROXY": picture_site.base_url, "http_proxy": picture_site.base_url}
    plain = run("fetch", FEED_URL, tmp_path=tmp_path, env=proxy)
    assert plain.returncode == 0, plain.stderr
    assert picture_site.hits(PHOTO_URL) == 0 and picture_site.hits(MAP_URL) == 0
    asked = run("fetch", "--images", FEED_URL, tmp_path=tmp_path, env=proxy)
    assert asked.returncode == 0, asked.stderr
    assert "2 picture(s) kept, 0 not" in asked.stderr
    cache = PictureCache(tmp_path / "data" / "images")
    assert cache.get(PHOTO_URL) is not None and cache.get(MAP_URL) is not None
