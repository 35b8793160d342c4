"""One error type for every problem an editor can cause in the TEI file.

Each problem prints as ``FILE:LINE:COLUMN: what is wrong; how to fix it`` so
that editors and their tools can jump to the place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    file: str
    line: int
    column: int
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.what}; {self.fix}"


class EditionError(Exception):
    """Raised for bad input; carries one or more located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
