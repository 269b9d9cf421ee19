"""The README's keys table, generated from the bindings themselves so it never goes stale.

    python -m docs.keys          # print the table
    python -m docs.keys --write  # replace it in README.md (between the keys-table markers)

A test checks that README.md holds exactly what this prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.ui.keys import format_keys

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- keys-table -->", "<!-- /keys-table -->"


def binding_rows() -> list[tuple[str, str, str, str]]:
    """(keys, French label, English label, where) for every binding with an id."""
    from tui.ui.bindings import BINDING_OWNERS
    from tui.ui.strings import BINDING_LABELS_EN

    rows = []
    for owner in BINDING_OWNERS:
        where = owner.where
        for binding in owner.bindings:
            if binding.id:
                rows.append(
                    (
                        format_keys(binding.key, "en"),
                        binding.description,
                        BINDING_LABELS_EN.get(binding.id, binding.description),
                        f"{where} (`{binding.id}`)",
                    )
                )
    return rows


def table() -> str:
    lines = ["| keys | action | en | where (binding id) |", "|---|---|---|---|"]
    for keys, french, english, where in binding_rows():
        shown = " ".join(f"`{k}`" if k != "`" else k for k in keys.split(" "))
        lines.append(f"| {shown} | {french} | {english} | {where} |")
    return "\n".join(lines)


def readme_with_table(text: str) -> str:
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    if "--write" in sys.argv:
        README.write_text(readme_with_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(table())
