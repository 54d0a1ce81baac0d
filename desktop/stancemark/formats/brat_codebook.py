"""The codebook in brat: annotation.conf and visual.conf generated from it, and how
custom kinds and attribute values are written in .ann files (formats/brat.py).

- A custom span kind is an entity type named like the kind (characters brat does not
  allow in a type name, whitespace and `: , | < > = [ ] #`, become "_"): `T4  frame 46 59`.
- brat's attributes hold one value from a fixed list, so a single choice, a yes/no
  (values yes|no) and an integer bounded to at most 20 values (1|2|3|4|5) are `A` lines
  on the span (`A2  frame_type T4 economic`), on the stance's event for a stance, and
  `[attributes]` lines of annotation.conf (`frame_type  Arg:frame, Value:economic|...`);
  value names are written as type names are.
- Everything brat's attributes cannot hold (a multiple choice, text, a number, an
  unbounded integer, a date, a reference) goes in the span's (the event's)
  AnnotatorNotes as `attributes={JSON object}`, by attribute name, typed as the JSON
  formats write them (formats.span_attributes), between the `date=` and `note=` parts.
- Article variables: in each annotator's `<uid>.meta.json` under "variables" (brat has
  no place for document-level data).

Read back with `stancemark codebook import annotation.conf`, the conf gives the kinds and
the A-line attributes (a yes/no and an integer then as choices of their values); the
attributes in notes are not in it. On import names are matched against the store's
codebook through the same writing of names.
"""

from __future__ import annotations

import json
import re
from typing import Any

from stancemark.core.builtin_kinds import is_builtin
from stancemark.core.codebook import Attribute, Codebook

_NOT_IN_NAME = re.compile(r"[\s:,|<>=\[\]#]+")
MAX_A_VALUES = 20


def brat_name(name: str) -> str:
    """A kind, attribute or value name as brat allows it in a type or attribute."""
    return _NOT_IN_NAME.sub("_", name.strip()) or "_"


def kind_type(book: Codebook, kind_uid: str) -> str:
    if is_builtin(kind_uid):
        return kind_uid.capitalize()
    return brat_name(book.name(kind_uid))


def a_values(attr: Attribute) -> list[str] | None:
    """The values of an attribute written as A lines, in order; None: in the notes."""
    if attr.type == "choice" and not attr.multiple:
        return [brat_name(v.name) for v in attr.values]
    if attr.type == "boolean":
        return ["yes", "no"]
    if (attr.type == "integer" and attr.minimum is not None and attr.maximum is not None
            and attr.maximum - attr.minimum < MAX_A_VALUES):
        return [str(i) for i in range(int(attr.minimum), int(attr.maximum) + 1)]
    return None


def a_value(attr: Attribute, value: Any) -> str:
    if attr.type == "choice":
        v = attr.value(value)
        return brat_name(v.name if v else str(value))
    if attr.type == "boolean":
        return "yes" if value else "no"
    return str(value)


def conf_lines(book: Codebook) -> tuple[list[str], list[str], list[str]]:
    """([entities] lines, [attributes] lines, visual.conf [drawing] lines) of the custom
    kinds and A-line attributes."""
    entities = [kind_type(book, k.uid) for k in book.custom_kinds()]
    drawing = [f"{kind_type(book, k.uid)}\tbgColor:{k.colour}" for k in book.custom_kinds()
               if k.colour]
    by_name: dict[str, tuple[list[str], list[str]]] = {}
    for a in book.attributes:
        values = a_values(a) if a.kind_uid is not None else None
        if values is None or a.kind_uid is None:
            continue
        args, known = by_name.setdefault(brat_name(a.name), ([], []))
        args.append(kind_type(book, a.kind_uid))
        known += [v for v in values if v not in known]
    attributes = [f"{name}\tArg:{'|'.join(dict.fromkeys(args))}, Value:{'|'.join(values)}"
                  for name, (args, values) in by_name.items()]
    return entities, attributes, drawing


class Names:
    """brat names -> codebook names, for an import (the importing store's codebook)."""

    def __init__(self, book: Codebook | None):
        self.book = book
        self.kinds = {brat_name(k.name): k for k in book.custom_kinds()} if book else {}

    def kind(self, brat_type: str) -> str:
        """The span kind a type names: a built-in kind's uid, else a kind name."""
        if brat_type in ("Actor", "Date", "Stance"):
            return brat_type.lower()
        k = self.kinds.get(brat_type)
        return k.name if k else brat_type

    def attribute(self, kind: str, name: str, value: str | None) -> tuple[str, Any]:
        """(attribute name, value) of an A line on a span of `kind` (a name or uid)."""
        attr = self._attribute(kind, name)
        if attr is None:
            return name, True if value is None else value
        if value is None:
            return attr.name, True
        if attr.type == "choice":
            v = next((x for x in attr.values if brat_name(x.name) == value), None)
            return attr.name, v.name if v else value
        return attr.name, value

    def _attribute(self, kind: str, name: str) -> Attribute | None:
        if self.book is None:
            return None
        k = self.book.kind(kind) or self.book.kind_by_name(kind)
        if k is None:
            return None
        return next((a for a in self.book.attributes_of(k.uid) if brat_name(a.name) == name), None)


def notes_part(values: dict[str, Any]) -> str | None:
    """The `attributes={...}` part of an AnnotatorNotes line (one line: JSON escapes
    line breaks), or None."""
    if not values:
        return None
    return "attributes=" + json.dumps(values, ensure_ascii=False, separators=(",", ":"))
