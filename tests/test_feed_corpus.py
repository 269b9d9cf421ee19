"""feedparser's own 2,107 test feeds (../shared/feed-corpus), which no one here wrote: every one is
read or refused with FeedParseError, and nothing read carries a control character, a bidi override or
a link that is not http(s)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_feeds import assert_safe
from tui.feeds.entry import FeedParseError
from tui.feeds.parse import parse_feed
from tui.feeds.sniff import looks_like_feed

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "feed-corpus"
# Some cases assume HTTP headers, written in their opening comment ("Header: Content-type: …").
HEADER_CONTENT_TYPE = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]+)", re.I)


@pytest.mark.corpus
def test_every_corpus_feed_is_read_or_refused_cleanly() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared feed corpus is not at {CORPUS} (it lives in ../shared beside the checkout)")
    files = sorted(path for path in CORPUS.rglob("*") if path.is_file())
    assert len(files) > 2000, f"only {len(files)} files under {CORPUS}"

    read, refused, failures = 0, [], []
    for path in files:
        data = path.read_bytes()
        header = HEADER_CONTENT_TYPE.search(data[:2048])
        content_type = header.group(1).decode("latin-1").strip() if header else ""
        name = path.relative_to(CORPUS)
        try:
            looks_like_feed(data, content_type)
            feed = parse_feed(data, "http://example.org/feed.xml", source="corpus", content_type=content_type)
            assert_safe(feed)
        except FeedParseError as error:
            if error.__cause__ is not None and not str(error).startswith("not a feed"):
                failures.append(f"{name}: crashed inside the parser: {error.__cause__!r}")
            refused.append(f"{name}: {error}")
            continue
        except Exception as error:
            failures.append(f"{name}: {error!r}"[:300])
            continue
        read += 1

    assert not failures, f"{len(failures)} of {len(files)} corpus files failed:\n" + "\n".join(failures)
    # A parser that refuses everything is safe too: make sure this one still reads the corpus.
    assert len(refused) <= len(files) // 100, "\n".join(refused)
    assert read + len(refused) == len(files)
