"""A fill's bookkeeping for the preview: which defaults may fill, what was filled, lookups once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_braket.declarations import DEFAULTED
from pulumi_braket.errors import BraketError
from pulumi_braket.wording import Field, Words


class Bookkeeping:
    """What one fill remembers: the previous check's inputs, the notes the preview shows,
    the paths filled (kept as ``defaulted_inputs``) and each lookup's answer or failure."""

    def __init__(self, previous: Mapping[str, Any] | None) -> None:
        self.previous: Mapping[str, Any] = previous or {}
        self.notes: list[str] = []
        self.filled: list[str] = []
        self._lookups: dict[str, str | BraketError] = {}

    def allowed(self, path: str) -> bool:
        """Whether a default may fill ``path``: always for a new resource; for an existing
        one only where it was filled before or the user had set a value since removed.

        Otherwise a default added by a newer pulumi-braket, or any default at all for a job
        created before defaults existed, would change a create-only member of a job that is
        already running, and replace it on the next `pulumi up` for nothing.
        """
        if not self.previous:
            return True
        if path in (self.previous.get(DEFAULTED) or ()):
            return True
        value: Any = self.previous
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return value is not None

    def lookup(self, name: str, compute: Callable[[], str]) -> str:
        """``compute()`` once per fill; its failure is raised again for every later caller."""
        if name not in self._lookups:
            try:
                self._lookups[name] = compute()
            except BraketError as error:
                self._lookups[name] = error
        found = self._lookups[name]
        if isinstance(found, BraketError):
            raise found
        return found

    def lookups_made(self) -> dict[str, str]:
        """The lookups that answered, by name."""
        return {name: value for name, value in self._lookups.items() if isinstance(value, str)}

    def note(self, path: str, shown: str, source: str, *, default: bool = True) -> None:
        """Record a filled path; ``shown`` is the value as the note prints it.

        Values derived from the user's own inputs (``default=False``: source, input_data)
        are derived again on every check, so they are not remembered as defaults.
        """
        self.notes.append(Words(Field(path), f" = {shown} ({source})"))
        if default:
            self.filled.append(path)
