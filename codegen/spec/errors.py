"""Problems found in a spec, reported all together as `file:line: yaml.path: message`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from ..untrusted import visible
from .model import Location


@dataclass(frozen=True, order=True)
class Problem:
    loc: Location
    message: str

    def __str__(self) -> str:
        """One line whatever the spec holds: names and text from it are shown escaped and bounded."""
        where = f"{_shown(self.loc.file, 300)}:{self.loc.line}"
        message = _shown(self.message, 1000)
        return (
            f"{where}: {_shown(self.loc.path, 300)}: {message}"
            if self.loc.path
            else f"{where}: {message}"
        )


def _shown(text: str, limit: int) -> str:
    text = visible(text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SpecError(Exception):
    """The spec could not be loaded; `problems` says every reason, in file and line order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(
            set(problems), key=lambda p: (p.loc.file, p.loc.line, p.loc.path, p.message)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'Blob'?)` when a close match exists, else ``."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
