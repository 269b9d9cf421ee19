"""The benchmark's data: the stores it generates (0, 10,000 and 100,000 articles, the sidebars),
the configuration each app reads, and copies for a session that changes its store."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks import corpus
from benchmarks.figures import log
from benchmarks.stores import STORE_FILE, SourceDef, StoreInfo, build_store, check_fast_path

HERE = Path(__file__).resolve().parent
MAIN_SOURCES = ("Bladi.net", "Le360", "Hespress FR", "Médias24", "TelQuel")


@dataclass
class Dataset:
    """A store and the configuration folder that points the app at its sources."""

    name: str
    info: StoreInfo
    config_home: Path

    @property
    def data_dir(self) -> Path:
        return self.info.data_dir

    @property
    def top_mark(self) -> str:
        return corpus.TITLE_10K[:16] if self.name == "10k" else corpus.NEWEST_MARK

    def first_paint(self, screen: str) -> bool:
        """The reader shows its list: the newest title (or, with no article, the empty list)."""
        if self.info.count == 0:
            return any(text in screen for text in ("Aucun article", "Chargement", "Tous (0)"))
        return self.top_mark in screen


STAMP_FILE = "benchmark-data.json"


def data_stamp() -> str:
    import hashlib

    from tui.store.schema import SCHEMA_VERSION

    digest = hashlib.sha256()
    for module in ("corpus.py", "stores.py"):
        digest.update((HERE / module).read_bytes())
    return f"schema{SCHEMA_VERSION}-{digest.hexdigest()[:12]}"


def write_config(folder: Path, sources: list[SourceDef]) -> Path:
    """A config listing the store's sources (URLs that are never fetched: the app runs offline),
    with the periodic refresh and the retention limits off, so a cache of 100,000 stays whole."""
    config = folder / "bladi-tui" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    lines = ['language = "fr"', ""]
    for source in sources:
        lines += [
            "[[sources]]",
            f"name = {json.dumps(source.name)}",
            f"url = {json.dumps(source.key)}",
            'kind = "feed"',
            "",
        ]
    lines += ["[fetch]", "refresh_minutes = 0", "", "[retention]", "max_age_days = 0", "max_articles = 0", ""]
    config.write_text("\n".join(lines), encoding="utf-8")
    return folder


def bench_sources(names: list[str], prefix: str) -> list[SourceDef]:
    return [
        SourceDef(f"https://{prefix}-{i:02d}.bench.invalid/feed", name, "feed")
        for i, name in enumerate(names)
    ]


def prepare_data(root: Path, *, reuse: bool) -> dict[str, Dataset]:
    """The five stores of the benchmark, made (or found, with ``reuse``) under ``root``."""
    plan = {
        "0": dict(count=0, sources=bench_sources(list(MAIN_SOURCES), "main"), tags=300, seed=11),
        "10k": dict(
            count=10_000,
            sources=bench_sources(list(MAIN_SOURCES), "main"),
            tags=300,
            seed=12,
            big_articles=True,
        ),
        "100k": dict(count=100_000, sources=bench_sources(list(MAIN_SOURCES), "main"), tags=300, seed=13),
        "sidebar-10": dict(
            count=10_000,
            sources=bench_sources([f"Presse {i:02d}" for i in range(1, 11)], "side"),
            tags=10,
            seed=14,
        ),
        "sidebar-10000": dict(
            count=10_000,
            sources=bench_sources([f"Presse {i:02d}" for i in range(1, 51)], "side"),
            tags=10_000,
            seed=14,
        ),
    }
    stamp = data_stamp()
    stamp_path = root / STAMP_FILE
    saved = {}
    if reuse and stamp_path.exists():
        try:
            document = json.loads(stamp_path.read_text())
            if document.get("stamp") == stamp:
                saved = document["stores"]
        except (ValueError, KeyError):
            saved = {}
    fast = True
    if any(name not in saved for name in plan):
        problem = check_fast_path()
        if problem:
            log(f"batched SQL no longer matches Store.upsert_articles ({problem}): using upsert_articles")
            fast = False
    datasets = {}
    for name, spec in plan.items():
        data_dir = root / "stores" / name
        if name in saved and (data_dir / STORE_FILE).exists():
            raw = saved[name]
            info = StoreInfo(
                data_dir=data_dir,
                sources=[SourceDef(**s) for s in raw["sources"]],
                count=raw["count"],
                rubriques=[tuple(r) for r in raw["rubriques"]],
                tags=[tuple(t) for t in raw["tags"][:50]],
                seconds=raw["seconds"],
                method=raw["method"],
            )
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            log(f"generating store {name} ({spec['count']:,} articles)")
            info = build_store(data_dir, fast=fast, **spec)
            log(f"  done in {info.seconds:.1f} s ({info.method})")
        datasets[name] = Dataset(name, info, write_config(root / "config" / name, info.sources))
    document = {"stamp": stamp, "stores": {}}
    for name, dataset in datasets.items():
        raw = asdict(dataset.info)
        raw["data_dir"] = str(raw["data_dir"])
        raw["tags"] = raw["tags"][:50]
        document["stores"][name] = raw
    stamp_path.write_text(json.dumps(document, ensure_ascii=False, indent=1))
    return datasets


def copy_dataset(dataset: Dataset, folder: Path) -> Dataset:
    """A scratch copy of a store, for sessions that change marks (opening marks read)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(dataset.data_dir, folder)
    info = StoreInfo(**{**asdict(dataset.info), "data_dir": folder})
    info.sources = dataset.info.sources
    return Dataset(dataset.name, info, dataset.config_home)
