"""Where a change is: a JSON pointer into each document and a path a person can read."""

from __future__ import annotations

from dataclasses import dataclass, replace

from imagegen_spec.core.pointers import escape_pointer_token
from imagegen_spec.diff.rules import Side

SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark


@dataclass(frozen=True)
class At:
    """A node's place in the old and the new document, its readable path and its sides."""

    old_pointer: str
    new_pointer: str
    human: tuple[str, ...]
    sides: frozenset[Side]
    used_by: tuple[str, ...] = ()

    @classmethod
    def root(
        cls,
        pointer: str,
        human: str,
        sides: frozenset[Side],
        used_by: tuple[str, ...] = (),
    ) -> At:
        """A place that has the same pointer in both documents."""
        return cls(pointer, pointer, (human,), sides, used_by)

    def child(self, token: str | int, label: str | None = None) -> At:
        """The place one pointer token further; `label` (if any) extends the readable path."""
        escaped = "/" + escape_pointer_token(str(token))
        human = (*self.human, label) if label else self.human
        return replace(
            self,
            old_pointer=self.old_pointer + escaped,
            new_pointer=self.new_pointer + escaped,
            human=human,
        )

    def moved(self, old_pointer: str | None = None, new_pointer: str | None = None) -> At:
        """The same readable place, read from elsewhere in one or both documents (a $ref)."""
        return replace(
            self,
            old_pointer=self.old_pointer if old_pointer is None else old_pointer,
            new_pointer=self.new_pointer if new_pointer is None else new_pointer,
        )

    @property
    def where(self) -> str:
        """The readable path, e.g. `request body` SEPARATOR `size`."""
        return SEPARATOR.join(self.human)


def schema_label(keyword: str, key: str | int) -> str | None:
    """The readable step into a subschema: a property's name, `[]` for items, `anyOf[1]`, …."""
    if keyword == "properties":
        return str(key)
    if keyword == "items":
        return "[]"
    if keyword == "additionalProperties":
        return "additional properties"
    if isinstance(key, int):
        return f"{keyword}[{key}]"
    return keyword
