"""Custom span kinds, attribute values and article variables in the span formats.

Every span format (doccano, Label Studio, brat, CoNLL, spaCy, CSV, REFI-QDA) names
kinds, attributes and vocabulary values by their codebook *names*, as the peers' tools
show them and as the scheme files the codebook generates for them (a Label Studio
labeling config, a brat annotation.conf) spell them. A value travels either typed
(JSON formats: a choice as its value name, a multiple choice as a list of names, an
integer or number as a number, yes/no as true/false, text, a date as ISO text, an actor
or topic reference as its uid) or as human text (brat, CoNLL, CSV: what
`Attribute.show` writes and `Attribute.parse` reads; several values of a multiple choice
separated by ";").

On import, `CodebookCheck` maps them back against the store's codebook: a kind by name
(else by uid), an attribute of that kind by name (else uid), a value by uid or name. A
kind, an attribute or a value the codebook lacks is refused in one line naming it and
the file and line, unless the import's `extend_codebook` option (the command line's
--extend-codebook) adds it: a kind under its name as uid (as native JSONL adds one), an
attribute and a value under new uids (a file's names are unique per kind or vocabulary
only), the attribute's type inferred from the value (formats/codebook_extend.py; a text
format's values come in as text attributes); the import report lists each addition. The
same rules hold for every format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from stancemark.core.attribute_values import MULTIPLE_SEPARATOR
from stancemark.core.builtin_kinds import is_builtin
from stancemark.core.codebook import Attribute, Codebook, CodebookError, Value
from stancemark.core.errors import InputError, StancemarkError
from stancemark.core.model import new_uid
from stancemark.formats.codebook_extend import HINT, infer_attribute, require_in_codebook

if TYPE_CHECKING:
    from stancemark.store.repository import Repository


# ---------------------------------------------------------------------- export

def typed_value(attr: Attribute, value: Any) -> Any:
    """A stored value as JSON formats write it: choices by value name (a list for a
    multiple choice), everything else as stored."""
    if attr.type != "choice":
        return value
    def name(uid: Any) -> str:
        v = attr.value(uid) if isinstance(uid, str) else None
        return v.name if v else str(uid)
    if isinstance(value, list):
        return [name(v) for v in value]
    return name(value)


def text_value(attr: Attribute, value: Any) -> str:
    """A stored value as text formats write it (Attribute.show; parse reads it back)."""
    if attr.type == "text":
        return str(value)
    return attr.show(value)


def named_values(book: Codebook, values: Mapping[str, Any] | None, *, text: bool = False
                 ) -> dict[str, Any]:
    """{attribute name: value} of stored values ({attribute uid: value}), in codebook
    order; `text`: each value as human text."""
    out: dict[str, Any] = {}
    values = values or {}
    known = [a for a in book.attributes if a.uid in values]
    for a in known:
        out[a.name] = text_value(a, values[a.uid]) if text else typed_value(a, values[a.uid])
    for uid in values:  # a value of an attribute no longer in the codebook: by uid
        if book.attribute(uid) is None:
            out[uid] = values[uid]
    return out


def article_variables(repo: Repository, article_uid: str, annotator_uids: Iterable[str],
                      names: Mapping[str, str], *, text: bool = False) -> dict[str, dict[str, Any]]:
    """{annotator name: {variable name: value}} of one article, annotators by name."""
    book = repo.codebook()
    out: dict[str, dict[str, Any]] = {}
    for uid in annotator_uids:
        values = repo.article_variables(article_uid, uid)
        if values:
            out[names.get(uid, uid)] = named_values(book, values, text=text)
    return dict(sorted(out.items()))


def all_variables(repo: Repository, article_uids: Iterable[str],
                  annotator_uids: Iterable[str] | None) -> dict[str, dict[str, dict[str, Any]]]:
    """{article uid: {annotator uid: stored variables}} in scope (one pass)."""
    wanted = set(article_uids)
    who = None if annotator_uids is None else set(annotator_uids)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for art, ann, values, _at in repo.iter_article_variables():
        if art in wanted and (who is None or ann in who) and values:
            out.setdefault(art, {})[ann] = values
    return out


# ---------------------------------------------------------------------- import

class CodebookCheck:
    """Maps a file's kind, attribute and value names onto the store's codebook during
    an import's writing pass (inside its transaction), refusing what the codebook lacks
    or, with `extend`, adding it (see the module docstring)."""

    def __init__(self, repo: Repository, extend: bool, notes: list[str]):
        self.repo = repo
        self.extend = extend
        self.notes = notes
        self.book = repo.codebook()

    def _refresh(self) -> None:
        self.book = self.repo.codebook()

    def kind(self, name: str, where: str, line: int | None) -> str:
        """The uid of the kind a file names (built-in kinds by their uid)."""
        if is_builtin(name):
            return name
        found = self.book.kind(name) or self.book.kind_by_name(name)
        if found is not None:
            return found.uid
        try:
            require_in_codebook(self.repo, name, None, self.extend, self.notes)
        except StancemarkError as exc:
            raise InputError(str(exc), where, line) from None
        self._refresh()
        return name

    def values(self, kind_uid: str | None, raw: Mapping[str, Any] | None, where: str,
               line: int | None) -> dict[str, Any]:
        """Stored values ({attribute uid: value}) of a span of `kind_uid` (None: an
        article's variables) from {attribute name or uid: typed value or text}."""
        out: dict[str, Any] = {}
        for name, value in (raw or {}).items():
            try:
                attr = self._attribute(kind_uid, str(name), value)
                stored = self._value(attr, value)
            except CodebookError as exc:
                raise InputError(str(exc), where, line) from None
            except StancemarkError as exc:
                raise InputError(str(exc), where, line) from None
            if stored is not None:
                out[attr.uid] = stored
        return out

    def _attribute(self, kind_uid: str | None, name: str, value: Any) -> Attribute:
        attr = self.book.attribute_by_name(kind_uid, name)
        if attr is not None:
            return attr
        owner = ("the article variables" if kind_uid is None
                 else f"kind {self.book.name(kind_uid)!r}")
        if not self.extend:
            raise StancemarkError(f"attribute {name!r} is not one of {owner} in the codebook{HINT}")
        sample = "" if value == [] else value  # an empty list says nothing of a vocabulary
        # New uids: a file's names are unique per kind (or vocabulary) only, so a name
        # as uid could clash with another kind's attribute or value of that name.
        self.repo.add_attribute(infer_attribute(new_uid(), kind_uid, sample, name,
                                                lambda _: new_uid()))
        what = "article variable" if kind_uid is None else "attribute"
        self.notes.append(f"codebook extended: {what} {name!r} of {owner} added")
        self._refresh()
        found = self.book.attribute_by_name(kind_uid, name)
        assert found is not None
        return found

    def _value(self, attr: Attribute, value: Any) -> Any:
        if value is None:
            return None
        if attr.type == "choice":
            if isinstance(value, str):
                items = self._names(attr, value) if attr.multiple else [value.strip()]
            elif isinstance(value, list):
                items = value
            else:
                raise CodebookError(f"attribute {attr.name!r}: {value!r} is not a value name")
            uids = [self._choice(attr, v) for v in items if v != ""]
            attr = self.book.attribute(attr.uid) or attr
            if not uids:
                return None
            return attr.check(uids if attr.multiple else uids[0])
        if isinstance(value, list) and len(value) == 1:
            value = value[0]  # one choice (Label Studio's yes/no) for a yes/no, a number...
        if isinstance(value, str) and attr.type not in ("text",):
            return attr.parse(value)
        return attr.check(value)

    @staticmethod
    def _names(attr: Attribute, text: str) -> list[str]:
        """The value names in a multiple choice's text: split at ";", except where the
        pieces joined again are a value's name ("nation; state")."""
        pieces = text.split(MULTIPLE_SEPARATOR)
        out: list[str] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                name = MULTIPLE_SEPARATOR.join(pieces[i:j]).strip()
                if j == i + 1 or attr.value(name) or attr.value_by_name(name):
                    out.append(name)
                    i = j
                    break
        return [n for n in out if n]

    def _choice(self, attr: Attribute, item: Any) -> str:
        if not isinstance(item, str):
            raise CodebookError(f"attribute {attr.name!r}: {item!r} is not a value name")
        current = self.book.attribute(attr.uid) or attr
        v = current.value(item) or current.value_by_name(item)
        if v is not None:
            return v.uid
        if not self.extend:
            raise CodebookError(f"value {item!r} of {attr.name!r} is not in the codebook{HINT}")
        value = self.repo.add_value(attr.uid, Value(new_uid(), item))
        self.notes.append(f"codebook extended: value {item!r} of {attr.name!r} added")
        self._refresh()
        return value.uid
