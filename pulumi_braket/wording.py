"""Messages that name inputs by their path, so the host that shows them spells the names."""

# A core speaks in snake_case paths (instance_config.instance_type), as Python programs
# write them; the native plugin's programs write instanceConfig.instanceType. A message is
# kept as text and paths apart, and each host joins them with its own spelling, rather
# than one host rewriting the other's finished text.

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Field:
    """An input named in a message, by its dotted snake_case path."""

    path: str


class HasWords(Protocol):
    """Anything that keeps its message as Words (BraketError does)."""

    @property
    def words(self) -> Words: ...


def _spelled_as_written(path: str) -> str:
    return path


class Words(str):
    """A message: its text as the cores spell it (it is that string), and the inputs it
    names as Fields, so a host that spells them otherwise can join it again.

    Being a string, it goes wherever text goes; only ``spelled`` sees the Fields, and text
    built from it by concatenation or formatting is plain text again.
    """

    parts: tuple[str | Field, ...]

    def __new__(cls, *parts: str | Field | HasWords | BaseException) -> Words:
        flat = tuple(_flattened(parts))
        made = super().__new__(cls, "".join(_joined(flat, _spelled_as_written)))
        made.parts = flat
        return made

    def spelled(self, spell: Callable[[str], str] = _spelled_as_written) -> str:
        return "".join(_joined(self.parts, spell))

    def __repr__(self) -> str:
        return f"Words({str.__repr__(self)})"


def _joined(parts: Iterable[str | Field], spell: Callable[[str], str]) -> Iterable[str]:
    return (part if isinstance(part, str) else spell(part.path) for part in parts)


def _flattened(parts: Iterable[object]) -> Iterable[str | Field]:
    for part in parts:
        if isinstance(part, Words):
            yield from part.parts
        elif isinstance(part, str | Field):
            yield str(part) if isinstance(part, str) else part
        elif isinstance(getattr(part, "words", None), Words):
            yield from part.words.parts  # type: ignore[attr-defined]
        else:
            yield str(part)


def at(path: str, *rest: str | Field | HasWords | BaseException) -> Words:
    """``<path>: <rest>``, the form of a reason about one input."""
    return Words(Field(path), ": ", *rest)


def listed(paths: Iterable[str], separator: str = ", ") -> Words:
    """Several inputs, named one after another."""
    return joined((Words(Field(path)) for path in paths), separator)


def joined(texts: Iterable[str], separator: str) -> Words:
    """Messages one after another, as ``separator.join`` would, keeping their Fields."""
    parts: list[str] = []
    for text in texts:
        parts += [separator, text] if parts else [text]
    return Words(*parts)


def spelled(text: str, spell: Callable[[str], str]) -> str:
    """A message as a host shows it: Words in its spelling, plain text as it is."""
    return text.spelled(spell) if isinstance(text, Words) else text
