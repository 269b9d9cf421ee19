"""Export the README's screenshots (SVG drawn by Textual) from the bundled sample articles.

python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tui.config import SourceSpec
from tui.model import ALL
from tui.paths import bundled_path
from tui.refresh import refresh_sources
from tui.store import Store
from tui.ui.app import BladiApp

HERE = Path(__file__).resolve().parent
CLOCK = datetime(2024, 12, 15, 12, tzinfo=UTC)

SHOTS = [
    # (file, size, language, keys)
    ("screenshot.svg", (120, 36), "fr", ["j", "j", "enter"]),
    ("screenshot-80x24.svg", (80, 24), "fr", ["enter"]),
    ("screenshot-en.svg", (100, 30), "en", []),
]


async def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        store = Store(Path(data) / "store.sqlite3")
        specs = [SourceSpec(name="Exemples", path=str(bundled_path("sample_articles")), kind="local")]
        await refresh_sources(store, specs, offline=True)
        for name, size, language, keys in SHOTS:
            app = BladiApp(
                store, specs, offline=True, refresh_on_start=False, clock=lambda: CLOCK, language=language
            )
            async with app.run_test(size=size) as pilot:
                await pilot.press(*keys)
                await pilot.pause()
                app.save_screenshot(str(HERE / name))
            store.set_read(store.topic_rowids(ALL), False)  # each shot starts unread
        await photo_shot(store)
        store.close()


def harbour_photo():
    """A made-up photo (sky, sun, sea, a quay and its cranes): no picture of anyone's is shipped."""
    from PIL import Image, ImageDraw

    width, height = 640, 360
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # sky fading to the horizon, then the sea darkening
        if y < 220:
            t = y / 220
            color = (int(70 + 150 * t), int(130 + 80 * t), int(200 + 30 * t))
        else:
            t = (y - 220) / 140
            color = (int(20 + 20 * t), int(90 - 40 * t), int(140 - 50 * t))
        draw.line([(0, y), (width, y)], fill=color)
    draw.ellipse([470, 60, 540, 130], fill=(255, 210, 120))
    draw.rectangle([0, 230, 330, 260], fill=(90, 90, 95))  # the quay
    for x in (60, 150, 240):  # cranes
        draw.rectangle([x, 120, x + 8, 230], fill=(200, 70, 40))
        draw.rectangle([x - 40, 120, x + 60, 128], fill=(200, 70, 40))
    for x, color in ((20, (30, 120, 180)), (110, (200, 160, 40)), (200, (160, 50, 50))):  # containers
        draw.rectangle([x, 205, x + 70, 230], fill=color)
    return image


async def photo_shot(store: Store) -> None:
    """An article with its lead photo drawn in half-block cells (README: Pictures). The picture
    sits in the cache beside the store, so the app shows it offline, as after a first reading."""
    import io

    from tui.images.cache import PictureCache, pictures_folder
    from tui.model import Article

    photo_url = "https://img.bladi.net/IMG/exemple-port.jpg"
    article = Article(
        guid="https://www.bladi.net/exemple-port-photo,1.html",
        url="https://www.bladi.net/exemple-port-photo,1.html",
        title="Un port en images",
        date=CLOCK,
        rubrique="Maroc",
        author="Exemple",
        lead=f"![Les quais au lever du jour](<{photo_url}>)\n\n"
        "Un exemple d'article avec sa photo de une, dessinée dans le terminal.",
        body="Les grues travaillent jour et nuit sur les quais du port.\n\n"
        'Sans image dans le terminal (`images = "off"`), une ligne tient sa place.',
        source="Exemples en images",
        full_text=True,
    )
    spec = SourceSpec(name="Exemples en images", url="https://www.bladi.net/exemple", kind="feed")
    store.ensure_source(spec.key, spec.name)
    store.upsert_articles(spec.key, [article])
    data = io.BytesIO()
    harbour_photo().save(data, "JPEG", quality=90)
    PictureCache(pictures_folder(store.path)).put(photo_url, data.getvalue(), article=article.id)
    app = BladiApp(
        store,
        [spec],
        offline=True,
        refresh_on_start=False,
        clock=lambda: CLOCK,
        language="fr",
        pictures="blocks",
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.reader.open_rowid(store.find(article.url).rowid)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot(str(HERE / "screenshot-photo.svg"))


if __name__ == "__main__":
    asyncio.run(main())
