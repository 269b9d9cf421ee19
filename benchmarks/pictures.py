"""Opening an article with a lead photo, in tmux: the text's first screen, then the photo.

    python -m benchmarks.pictures [--repeat 7]

A store holds one article (a lead photo above a 10 KB text) and the photo is in the picture cache
beside it, as after a first reading; the app runs offline with ``images = "blocks"``. Enter, 2.5 s
after the first frame (once the app has read its picture modules in the background), opens the
article: the time to its lead on screen is the open-article figure of BENCHMARKS.md (target
under 0.1 s, like a 10 KB article without a picture), and the photo's half-block rows come after.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.commands import app_env, bladi_command
from benchmarks.terminal import ScreenTimeout, Tmux

LEAD = "Chapeau de mesure"
PHOTO_URL = "https://img.bench.invalid/IMG/photo.jpg"


def prepare(root: Path, images: str = "blocks") -> tuple[Path, Path]:
    from PIL import Image

    from tui.config import SourceSpec
    from tui.images.cache import PictureCache, pictures_folder
    from tui.model import Article
    from tui.store import Store

    data, config_home = root / "data", root / "config"
    (config_home / "bladi-tui").mkdir(parents=True)
    spec = SourceSpec(name="Photos", url="https://bench.invalid/feed", kind="feed")
    (config_home / "bladi-tui" / "config.toml").write_text(
        f'language = "fr"\nimages = "{images}"\n\n[[sources]]\nname = "Photos"\nurl = "{spec.url}"\n'
        'kind = "feed"\n\n[fetch]\nrefresh_minutes = 0\n',
        encoding="utf-8",
    )
    store = Store(data / "bladi-tui.sqlite3")
    store.ensure_source(spec.key, spec.name)
    paragraph = "Une phrase de mesure qui tient la place du texte d'un article ordinaire. " * 6
    article = Article(
        guid="https://bench.invalid/article,1.html",
        url="https://bench.invalid/article,1.html",
        title="Article avec photo",
        lead=f"![La photo](<{PHOTO_URL}>)\n\n{LEAD} : une photo au-dessus du texte.",
        body="\n\n".join([paragraph] * 22),  # about 10 KB
        full_text=True,
    )
    store.upsert_articles(spec.key, [article])
    photo = Image.effect_noise((1200, 800), 40).convert("RGB")
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    PictureCache(pictures_folder(store.path)).put(PHOTO_URL, out.getvalue(), article=article.id)
    store.close()
    return data, config_home


def photo_shown(screen: str) -> bool:
    return sum(1 for line in screen.splitlines() if line.count("▀") >= 10) >= 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--images", default="blocks", help='"off": the same article, its placeholder only')
    options = parser.parse_args(argv)
    text, photo = [], []
    with tempfile.TemporaryDirectory() as scratch:
        data, config_home = prepare(Path(scratch), options.images)
        tmux = Tmux(120, 40)
        try:
            for run in range(options.repeat + 1):
                pane = tmux.spawn(
                    [*bladi_command(), "--offline", "--data-dir", str(data)], env=app_env(config_home)
                )
                try:
                    pane.wait_for("Article avec photo", timeout=60)
                    pane.settle()
                    time.sleep(2.5)  # the app reads the picture modules 2 s after its first frame
                    sent = pane.send("Enter")
                    text_at = pane.wait_for(LEAD, since=sent, timeout=30)
                    photo_at = (
                        pane.wait_for(photo_shown, since=sent, timeout=30) if options.images != "off" else 0.0
                    )
                except ScreenTimeout as error:
                    print(f"run {run}: {error}\n{error.screen}", file=sys.stderr)
                    return 1
                finally:
                    pane.send("q")
                    time.sleep(0.3)
                if run:  # the first run warms the caches
                    text.append(text_at)
                    photo.append(photo_at)
        finally:
            tmux.close()
    median = sorted(text)[len(text) // 2]
    print(
        f"Open a 10 KB article with a lead photo, text on screen: median {median:.3f} s "
        f"(target < 0.100 s) runs {', '.join(f'{t:.3f}' for t in text)}"
    )
    median_photo = sorted(photo)[len(photo) // 2]
    print(
        f"  ... its photo drawn (half-blocks, from the cache): median {median_photo:.3f} s "
        f"runs {', '.join(f'{t:.3f}' for t in photo)}"
    )
    return 0 if median < 0.1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
