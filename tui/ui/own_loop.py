"""Work that runs on an event loop of its own, in a thread, so that the reader's loop only draws.

A refresh of hundreds of sources does the HTTP, the digests and the store's bookkeeping of each
on the loop that runs it: on the reader's own loop, every source took a turn between two keys.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


async def on_own_loop(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Await ``make()`` run on a new event loop in a thread of its own; cancelling the caller
    cancels it there (the thread is a daemon: an app quitting never waits for it)."""
    caller = asyncio.get_running_loop()
    done: asyncio.Future[T] = caller.create_future()
    loop = asyncio.new_event_loop()
    task = loop.create_task(make())

    def settle(result: T | None, error: BaseException | None) -> None:
        if done.cancelled():
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        asyncio.set_event_loop(loop)
        result, error = None, None
        try:
            result = loop.run_until_complete(task)
        except BaseException as exc:  # handed to the caller, whatever it is
            error = exc
        finally:
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                loop.close()
        try:
            caller.call_soon_threadsafe(settle, result, error)
        except RuntimeError:  # the caller's loop is closed: nobody waits any more
            pass

    threading.Thread(target=run, name="own-loop", daemon=True).start()
    try:
        return await done
    except asyncio.CancelledError:
        try:
            loop.call_soon_threadsafe(task.cancel)
        except RuntimeError:  # that loop has finished already
            pass
        raise


def call_soon_in(loop: asyncio.AbstractEventLoop, callback: Callable[..., object], *args: object) -> None:
    """``callback(*args)`` on ``loop`` (another thread's), without waiting; nothing if it is closed."""
    try:
        loop.call_soon_threadsafe(callback, *args)
    except RuntimeError:
        pass
