"""Regular expressions compiled when first used, not when their module is imported.

Compiling a character class or an alternation costs more than most matches against it, and a
module that holds many pays for them all at import, before the reader's first frame, whether
or not that run ever uses them (BENCHMARKS.md, first paint).
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)``: the first attribute asked for (``search``,
    ``sub``, ``fullmatch``...) compiles it; each attribute is then kept on the instance, so
    later uses cost what the compiled pattern's own attributes cost."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)  # a pattern's attributes are all public: copy's, pickle's...
        value = getattr(self.compiled, name)
        setattr(self, name, value)
        return value

    @property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(*self._source)  # re's own cache keeps the one compiled pattern
