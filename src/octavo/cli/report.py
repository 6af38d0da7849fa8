"""What the commands print: warnings grouped, outputs listed, or all of it as JSON for scripts.

A technical book can give the same warning hundreds of times (one per removed element); a
person wants it once, with how many and where the first one is (`--verbose` lists them all)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from octavo.core.diagnostics import Diagnostic
from octavo.pipeline import BuildResult


@dataclass(frozen=True)
class Group:
    first: Diagnostic
    count: int

    def __str__(self) -> str:
        if self.count == 1:
            return str(self.first)
        d = self.first
        return f"{self.count} × {d.severity} {d.code} {d.message}; first at {d.location()}"


def grouped(warnings: Sequence[Diagnostic]) -> list[Group]:
    """One group per code and message, in the order they first came."""
    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    for warning in warnings:
        groups.setdefault((warning.code, warning.message), []).append(warning)
    return [Group(found[0], len(found)) for found in groups.values()]


def warning_lines(warnings: Sequence[Diagnostic], verbose: bool) -> list[str]:
    if verbose:
        return [str(w) for w in warnings]
    return [str(g) for g in grouped(warnings)]


def as_json(result: BuildResult) -> str:
    """The build's outcome for scripts: every output and every warning."""
    return json.dumps(
        {
            "outputs": [
                {
                    "format": o.format,
                    "path": str(o.path),
                    "seconds": round(o.seconds, 3),
                    "notes": list(o.notes),
                }
                for o in result.outputs
            ],
            "warnings": [d.as_dict() for d in result.warnings],
        },
        ensure_ascii=False,
        indent=2,
    )
