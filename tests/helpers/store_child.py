"""A process working on a store, for tests/test_store_processes.py.

python -m tests.helpers.store_child write STORE NAME COUNT
    Prints "ready", waits for a line on stdin, then does COUNT rounds of: upsert one article
    of source NAME, mark it read (and every third saved).
    Prints "done N START END": how many "database is locked" (or other sqlite) errors it met,
    and when its writes began and ended.

python -m tests.helpers.store_child fetch STORE
    Upserts batches of articles forever, as a fetch does, marking some read and saved after
    each batch (is_read, is_saved); once the articles numbered FIRST to LAST - 1 and their
    marks are committed, prints "committed FIRST LAST".

python -m tests.helpers.store_child lock DATA_DIR
    Takes the fetch lock, prints "locked", and holds it until stdin closes.

python -m tests.helpers.store_child hold-writes STORE SECONDS
    Takes the writers' turn and SQLite's write lock, as a long write would, and prints
    "holding"; holds both for at least SECONDS and until a line comes on stdin; then prints
    "released".
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta

from tui.model import Article
from tui.store import FetchLock, Store
from tui.store.connection import WRITERS_LOCK_SUFFIX

BASE = datetime(2024, 3, 1, tzinfo=UTC)
BODY = "La sécurité énergétique et l'œuvre de l'économie marocaine. " * 40


def article(name: str, number: int) -> Article:
    return Article(
        guid=f"{name}-{number}",
        title=f"{name} article {number}",
        date=BASE + timedelta(minutes=number),
        body=f"{BODY} {name} {number}",
        tags=["Maroc", name],
        author="Rédaction",
        full_text=True,
    )


def write(path: str, name: str, count: int) -> None:
    store = Store(path)
    store.ensure_source(name, name)
    print("ready", flush=True)
    sys.stdin.readline()  # both writers start together
    errors = 0
    started = time.time()
    for number in range(count):
        try:
            store.upsert_articles(name, [article(name, number)])
            rowid = store.find(article(name, number).id).rowid
            store.set_read([rowid])
            if number % 3 == 0:
                store.set_saved(rowid, True)
        except sqlite3.Error as error:
            errors += 1
            print(f"error {error}", file=sys.stderr, flush=True)
    print(f"done {errors} {started} {time.time()}", flush=True)


def fetch(path: str) -> None:
    store = Store(path)
    store.ensure_source("feed", "Feed")
    first = store.sources(["feed"])[0].count  # carries on after an earlier (killed) run
    while True:
        numbers = range(first, first + BATCH)
        store.upsert_articles("feed", [article("feed", number) for number in numbers])
        rowids = {number: store.find(article("feed", number).id).rowid for number in numbers}
        store.set_read([rowids[number] for number in numbers if is_read(number)])
        for number in numbers:
            if is_saved(number):
                store.set_saved(rowids[number], True)
        print(f"committed {first} {first + BATCH}", flush=True)
        first += BATCH


BATCH = 40


def is_read(number: int) -> bool:
    return number % 2 == 0


def is_saved(number: int) -> bool:
    return number % 7 == 0


def hold_lock(data_dir: str) -> None:
    lock = FetchLock(data_dir)
    lock.acquire(wait=False) or sys.exit("lock taken")
    print("locked", flush=True)
    sys.stdin.read()
    lock.release()


def hold_writes(path: str, seconds: float) -> None:
    turn = os.open(path + WRITERS_LOCK_SUFFIX, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(turn, fcntl.LOCK_EX)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE sources SET last_error = last_error")  # a write under way
    started = time.monotonic()
    print("holding", flush=True)
    sys.stdin.readline()
    time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    db.execute("COMMIT")
    fcntl.flock(turn, fcntl.LOCK_UN)
    print("released", flush=True)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "write":
        write(args[0], args[1], int(args[2]))
    elif command == "fetch":
        fetch(args[0])
    elif command == "lock":
        hold_lock(args[0])
    elif command == "hold-writes":
        hold_writes(args[0], float(args[1]))
    else:
        sys.exit(f"unknown command {command}")
