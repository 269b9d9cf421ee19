"""Pictures kept on disk beside the store, under a size cap, least recently shown first out.

One file per picture (named by a hash of its address: nothing of the address reaches the file
system) plus a small JSON note: its validators for conditional GET and the articles that show
it, so that retention drops a picture with the last article that held it. Reading a picture
touches its file; the oldest touched go first when the folder is over its cap.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 200 * MIB
_NOTE_LIMIT = 64 * 1024


def pictures_folder(store_path: str | Path) -> Path:
    """Where the pictures of the store at ``store_path`` are kept."""
    return Path(store_path).parent / "images"


class PictureCache:
    def __init__(self, folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes

    def _paths(self, url: str) -> tuple[Path, Path]:
        name = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return self.folder / f"{name}.img", self.folder / f"{name}.json"

    def get(self, url: str) -> tuple[bytes, str, str] | None:
        """(bytes, etag, last-modified) of a cached picture, touched as just used; None if absent."""
        data_path, note_path = self._paths(url)
        try:
            data = data_path.read_bytes()
            os.utime(data_path)
        except OSError:
            return None
        note = self._note(note_path)
        if note.get("url") != url:
            return None  # another address with the same hash prefix: never shown in its place
        return data, str(note.get("etag", "")), str(note.get("last_modified", ""))

    def put(self, url: str, data: bytes, etag: str = "", last_modified: str = "", article: str = "") -> None:
        """Keep a picture (and which article showed it), then bring the folder under its cap."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        data_path, note_path = self._paths(url)
        note = self._note(note_path) if note_path.exists() else {}
        articles = (
            [a for a in note.get("articles", []) if isinstance(a, str)] if note.get("url") == url else []
        )
        if article and article not in articles:
            articles.append(article)
        _write_atomically(data_path, data)
        note = {"url": url, "etag": etag, "last_modified": last_modified, "articles": articles[-50:]}
        _write_atomically(note_path, json.dumps(note).encode())
        self.trim()

    def note_article(self, url: str, article: str) -> None:
        """Record that ``article`` shows the cached picture at ``url`` too."""
        data_path, note_path = self._paths(url)
        note = self._note(note_path)
        if note.get("url") == url and article not in note.get("articles", []):
            note["articles"] = [*note.get("articles", []), article][-50:]
            _write_atomically(note_path, json.dumps(note).encode())

    def trim(self) -> int:
        """Drop the least recently used pictures until the folder is under its cap; how many went."""
        entries = []
        total = 0
        for path in self._pictures():
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((stat.st_mtime, path, stat.st_size))
            total += stat.st_size
        gone = 0
        for _, path, size in sorted(entries):
            if total <= self.max_bytes:
                break
            self._remove(path)
            total -= size
            gone += 1
        return gone

    def forget_articles(self, known: Callable[[Sequence[str]], set[str]]) -> int:
        """Drop every picture none of whose articles is still stored (``known`` answers which
        article ids the store holds); how many went."""
        gone = 0
        for path in self._pictures():
            articles = self._note(path.with_suffix(".json")).get("articles", [])
            if articles and not known(articles):
                self._remove(path)
                gone += 1
        return gone

    def size(self) -> int:
        return sum(p.stat().st_size for p in self._pictures() if p.exists())

    def _pictures(self) -> list[Path]:
        try:
            return list(self.folder.glob("*.img"))
        except OSError:
            return []

    @staticmethod
    def _remove(data_path: Path) -> None:
        for path in (data_path, data_path.with_suffix(".json")):
            try:
                path.unlink()
            except OSError:
                pass

    @staticmethod
    def _note(path: Path) -> dict:
        try:
            with path.open("rb") as file:
                note = json.loads(file.read(_NOTE_LIMIT))
        except (OSError, ValueError):
            return {}
        return note if isinstance(note, dict) else {}


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
