"""Imported annotations against the codebook: refuse what it lacks, or extend it.

An importer calls `require_in_codebook(repo, kind, attributes, extend, notes)` before
storing an annotation. Without `extend`, a kind, an attribute or a choice value the
codebook lacks is refused naming it (IntegrityError; the importer adds file and line),
with the hint to pass the option. With `extend` (the command line's
--extend-codebook), the codebook grows: a kind is added under that uid and name, an
attribute under that uid with a type inferred from the value (yes/no, integer,
number, a multiple choice from a list, else text), a value under that uid and name;
each addition is audited and listed once in `notes` (the import report).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from stancemark.core.codebook import Attribute, SpanKind, Value
from stancemark.core.errors import IntegrityError

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

HINT = "; import with --extend-codebook to add it"


def infer_attribute(uid: str, kind_uid: str | None, value: Any, name: str | None = None,
                    value_uid: Callable[[str], str] = str) -> Attribute:
    """An attribute (named `name`, else its uid) whose type fits `value`; a list's
    items become its vocabulary, each value's uid `value_uid(name)`."""
    name = name or uid
    if isinstance(value, bool):
        return Attribute(uid, name, "boolean", kind_uid)
    if isinstance(value, int):
        return Attribute(uid, name, "integer", kind_uid)
    if isinstance(value, float):
        return Attribute(uid, name, "number", kind_uid)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return Attribute(uid, name, "choice", kind_uid, multiple=True,
                         values=tuple(Value(value_uid(v), v) for v in dict.fromkeys(value)))
    return Attribute(uid, name, "text", kind_uid)


def require_in_codebook(repo: Repository, kind: str | None, attributes: Mapping[str, Any] | None,
                        extend: bool, notes: list[str]) -> None:
    """Refuse (or, with `extend`, add) what an imported annotation (kind None: an
    article's variables) needs of the codebook."""
    book = repo.codebook()
    if kind is not None and not book.has_kind(kind):
        if not extend:
            raise IntegrityError(f"span kind {kind!r} is not in the codebook{HINT}")
        repo.add_kind(SpanKind(kind, kind))
        notes.append(f"codebook extended: span kind {kind!r} added")
        book = repo.codebook()
    for uid, value in (attributes or {}).items():
        attr = book.attribute(uid)
        owner = "the article variables" if kind is None else f"kind {book.name(kind)!r}"
        if attr is None or attr.kind_uid != kind:
            if not extend or attr is not None:
                raise IntegrityError(f"attribute {uid!r} is not one of {owner} "
                                     f"in the codebook{HINT if attr is None else ''}")
            repo.add_attribute(infer_attribute(uid, kind, value))
            what = "article variable" if kind is None else "attribute"
            notes.append(f"codebook extended: {what} {uid!r} of {owner} added")
            book = repo.codebook()
            continue
        if attr.type != "choice":
            continue
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and attr.value(v) is None:
                if not extend:
                    raise IntegrityError(f"value {v!r} of {attr.name!r} is not in the codebook{HINT}")
                repo.add_value(attr.uid, Value(v, v))
                notes.append(f"codebook extended: value {v!r} of {attr.name!r} added")
                book = repo.codebook()
                attr = book.attribute(uid) or attr
