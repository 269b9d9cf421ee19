"""The boundary between the app and an unexpected error.

Textual ends the whole app on any exception in a handler. A reader with a bug in one corner
should stay up: the error is caught where a message is dispatched, said in one sentence, and
its traceback goes to the log file in the data folder.
"""

from __future__ import annotations

from textual.message import Message

from tui.faults import fault_of, fault_sentence
from tui.logs import logger
from tui.sanitize import clean_line
from tui.ui.textual_compat import HandlerErrorGuard


def report_error(app, error: BaseException, where: str) -> None:
    fault = fault_of(error)
    data_dir = getattr(app, "data_dir", None)
    if fault is not None and data_dir is not None:
        # The machine's fault (a full disk...): its own sentence, no traceback to log.
        logger.warning("%s in %s: %s", fault, where, clean_line(error, 300))
        sentence = fault_sentence(fault, app.t, data_dir, data_dir / "bladi-tui.sqlite3")
        text = sentence[:1].upper() + sentence[1:]
    else:
        logger.error("unexpected error in %s", where, exc_info=error)
        sentence = clean_line(f"{type(error).__name__}: {error}", 300)
        text = app.t("notice.error", error=sentence)
    errors = getattr(app, "errors", None)
    if errors is not None:
        errors.append(sentence)
    try:
        app.notify(text, severity="error", markup=False, timeout=8)
    except Exception:
        pass


class ErrorBoundary(HandlerErrorGuard):
    """Mixed into the app and the screens: a failing handler is reported, not fatal."""

    def handler_failed(self, error: Exception, message: Message) -> None:
        report_error(self.app, error, f"{type(self).__name__} handling {type(message).__name__}")  # type: ignore[attr-defined]
