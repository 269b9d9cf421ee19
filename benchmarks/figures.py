"""A benchmark's figures (samples, target, verdict) and the tables they are printed in."""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field


@dataclass
class Figure:
    name: str
    unit: str = "s"
    samples: list[float] = field(default_factory=list)
    target: float | None = None  # absolute, in ``unit``
    target_text: str = ""
    strict: bool = False  # "<" rather than "<="
    note: str = ""
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.target:
            return None
        return self.median / self.target

    @property
    def verdict(self) -> str:
        if self.error:
            return "n/a" if self.error in ("not implemented", "not installed") else "ERROR"
        if self.target is None or self.median is None:
            return "info"
        ok = self.median < self.target if self.strict else self.median <= self.target
        return "pass" if ok else "FAIL"


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value:.1f} {unit}"


def print_table(figures: list[Figure], out=sys.stdout) -> None:
    rows = [("figure", "median", "target", "ratio", "result", "runs")]
    for f in figures:
        runs = (
            ", ".join(format_value(s, f.unit).split()[0] for s in f.samples) if f.samples else (f.error or "")
        )
        target = f.target_text or (
            "-" if f.target is None else ("< " if f.strict else "<= ") + format_value(f.target, f.unit)
        )
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}"
        rows.append(
            (
                f.name,
                format_value(f.median, f.unit) if not f.error else f.error,
                target,
                ratio,
                f.verdict,
                runs,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5], file=out)
        if index == 0:
            print("  ".join("-" * w for w in widths) + "  " + "-" * 4, file=out)
    for f in figures:
        if f.note:
            print(f"  * {f.name}: {f.note}", file=out)


def markdown_table(figures: list[Figure]) -> str:
    lines = ["| figure | median | target | ratio | result | runs |", "|---|---|---|---|---|---|"]
    for f in figures:
        runs = ", ".join(format_value(s, f.unit).split()[0] for s in f.samples)
        target = f.target_text or (
            "-" if f.target is None else ("< " if f.strict else "≤ ") + format_value(f.target, f.unit)
        )
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}"
        median = f.error if f.error else format_value(f.median, f.unit)
        lines.append(f"| {f.name} | {median} | {target} | {ratio} | {f.verdict} | {runs} |")
    return "\n".join(lines)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
