"""The codebook: span kinds, their typed attributes and article variables, as data.

One registry every layer reads. A store holds one codebook (store.codebook reads and
edits it); `Repository.codebook()` returns it as the immutable `Codebook` below, so
the window, the formats, agreement and the command line ask it what kinds exist, what
each attribute's type, vocabulary, range and default are, and how to check a value.
Adding a kind or an attribute is a codebook edit, never a code change.

Identity is the uid, never the name: annotations store the kind's uid
(`Annotation.kind`), attribute values are keyed by attribute uid
(`Annotation.attributes`) and a choice stores the chosen value's uid, so renaming a
kind, an attribute or a vocabulary value relabels every use at once, and two stores
whose codebooks share uids merge. The built-in kinds have fixed uids equal to their
original names ("actor", "date", "stance"), so stores and files written before the
codebook existed need no rewrite; their special fields and rules live in
core/builtin_kinds.py, one place each.

Stored value of an attribute, by type (`Attribute.check` enforces it):

  choice    single: the chosen value's uid (str); multiple: a list of value uids,
            without repeats, in vocabulary order
  integer   int within [minimum, maximum] (either bound may be None)
  number    int or float, finite, within [minimum, maximum]
  boolean   True or False (yes/no)
  text      str, at most MAX_TEXT characters
  date      ISO 8601 day, month, year or interval "A/B" (as date annotations)
  actor     an actor's uid (the store checks that it exists)
  topic     a topic's uid (the store checks that it exists)

An unset attribute is absent from the dict (None is never stored).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from stancemark.core.errors import StancemarkError

ATTRIBUTE_TYPES: tuple[str, ...] = (
    "choice", "integer", "number", "boolean", "text", "date", "actor", "topic")
# The Krippendorff metric each type calls for (ordered choices: "ordinal"); None: no
# agreement figure (free text, references are compared by identity as nominal).
TYPE_METRICS: dict[str, str | None] = {
    "choice": "nominal", "integer": "interval", "number": "interval", "boolean": "nominal",
    "text": None, "date": "nominal", "actor": "nominal", "topic": "nominal"}

# Documented limits: a codebook file or a peer's scheme beyond them is refused (a
# hostile file must not make the window build 10 million menu entries).
MAX_KINDS = 200
MAX_ATTRIBUTES = 2_000  # over all kinds and article variables
MAX_VALUES = 1_000  # vocabulary of one choice attribute
MAX_NAME = 200  # characters of a name
MAX_DESCRIPTION = 10_000
MAX_TEXT = 100_000  # characters of a text attribute's value

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class CodebookError(StancemarkError):
    """A codebook definition or an attribute value that breaks the codebook's rules."""


@dataclass(frozen=True, slots=True)
class Value:
    """One entry of a choice attribute's vocabulary."""

    uid: str
    name: str
    description: str = ""
    colour: str = ""  # "#RRGGBB" or ""
    key: str = ""  # one character typed in the popup to pick it, or ""


@dataclass(frozen=True, slots=True)
class SpanKind:
    """A kind of span an analyst tags. `builtin` kinds (actor, date, stance) cannot be
    removed; their name, description, colour and key may still change."""

    uid: str
    name: str
    description: str = ""
    colour: str = ""
    key: str = ""  # the tagging key ("A" for actor), one character or ""
    builtin: bool = False


@dataclass(frozen=True, slots=True)
class Attribute:
    """A typed attribute of a span kind (`kind_uid`), or an article-level variable
    (`kind_uid` None: set once per article and annotator).

    choice: `values` is the vocabulary, `multiple` allows several values, `ordered`
    says the vocabulary is a ranking (ordinal agreement). integer/number: `minimum`
    and `maximum` bound the value (None: unbounded). `default` is a stored value (see
    the module docstring), filled in when an annotation or article is first coded.
    `required`: the window asks for it at tagging time (`Codebook.missing_required`).
    """

    uid: str
    name: str
    type: str
    kind_uid: str | None = None
    description: str = ""
    required: bool = False
    default: Any = None
    multiple: bool = False
    ordered: bool = False
    minimum: float | None = None
    maximum: float | None = None
    values: tuple[Value, ...] = ()

    @property
    def is_article_variable(self) -> bool:
        return self.kind_uid is None

    @property
    def metric(self) -> str | None:
        """Krippendorff metric for agreement on this attribute (None: none computed)."""
        if self.type == "choice":
            return "ordinal" if self.ordered and not self.multiple else "nominal"
        return TYPE_METRICS[self.type]

    def value(self, uid: str) -> Value | None:
        return next((v for v in self.values if v.uid == uid), None)

    def value_by_name(self, name: str) -> Value | None:
        folded = name.strip().casefold()
        return next((v for v in self.values if v.name.casefold() == folded), None)

    def check(self, value: Any) -> Any:
        """The stored form of `value` for this attribute; raises CodebookError naming the
        attribute and the value when it does not fit. None means unset and comes back."""
        from stancemark.core.attribute_values import check_value

        return check_value(self, value)

    def parse(self, text: str) -> Any:
        """A value from human text (a vocabulary name, "3", "yes", "2024-05-01", names
        separated by ";" for multiple choices), as formats and the command line read
        them; returns the stored form. Empty text is None (unset)."""
        from stancemark.core.attribute_values import parse_value

        return parse_value(self, text)

    def show(self, value: Any) -> str:
        """Human text for a stored value (value names, "yes"/"no"); the reverse of parse
        for choices, numbers, yes/no, text and dates (references stay uids)."""
        from stancemark.core.attribute_values import show_value

        return show_value(self, value)


@dataclass(frozen=True)
class Codebook:
    """An immutable snapshot of a store's codebook, with lookups by uid and name.

    Order is meaningful (the editor's order, menus, export columns): kinds in
    `kinds` order, attributes in `attributes` order, values in vocabulary order.
    Build one with `Codebook.of(kinds, attributes)`, which checks it (`check`).
    """

    kinds: tuple[SpanKind, ...]
    attributes: tuple[Attribute, ...] = ()
    _kinds: dict[str, SpanKind] = field(default_factory=dict, repr=False, compare=False)
    _attributes: dict[str, Attribute] = field(default_factory=dict, repr=False, compare=False)
    _by_kind: dict[str | None, tuple[Attribute, ...]] = field(
        default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._kinds.update((k.uid, k) for k in self.kinds)
        self._attributes.update((a.uid, a) for a in self.attributes)
        by: dict[str | None, list[Attribute]] = {}
        for a in self.attributes:
            by.setdefault(a.kind_uid, []).append(a)
        self._by_kind.update((k, tuple(v)) for k, v in by.items())

    @classmethod
    def of(cls, kinds: Iterable[SpanKind], attributes: Iterable[Attribute] = ()) -> Codebook:
        book = cls(tuple(kinds), tuple(attributes))
        book.check()
        return book

    # ----------------------------------------------------------------- lookups
    def kind(self, uid: str) -> SpanKind | None:
        return self._kinds.get(uid)

    def has_kind(self, uid: str) -> bool:
        return uid in self._kinds

    def kind_uids(self) -> tuple[str, ...]:
        return tuple(k.uid for k in self.kinds)

    def kind_by_name(self, name: str) -> SpanKind | None:
        """The kind named `name` (case-insensitive), else the kind whose uid it is."""
        folded = name.strip().casefold()
        found = next((k for k in self.kinds if k.name.casefold() == folded), None)
        return found or self._kinds.get(name)

    def kind_by_key(self, key: str) -> SpanKind | None:
        folded = key.casefold()
        return next((k for k in self.kinds if k.key and k.key.casefold() == folded), None)

    def custom_kinds(self) -> tuple[SpanKind, ...]:
        return tuple(k for k in self.kinds if not k.builtin)

    def attribute(self, uid: str) -> Attribute | None:
        return self._attributes.get(uid)

    def attributes_of(self, kind_uid: str) -> tuple[Attribute, ...]:
        """The attributes of one span kind, in codebook order."""
        return self._by_kind.get(kind_uid, ())

    def article_variables(self) -> tuple[Attribute, ...]:
        return self._by_kind.get(None, ())

    def attribute_by_name(self, kind_uid: str | None, name: str) -> Attribute | None:
        """An attribute of `kind_uid` (None: an article variable) by name, else by uid."""
        folded = name.strip().casefold()
        pool = self._by_kind.get(kind_uid, ())
        return next((a for a in pool if a.name.casefold() == folded),
                    next((a for a in pool if a.uid == name), None))

    def colour(self, kind_uid: str) -> str:
        k = self._kinds.get(kind_uid)
        return (k.colour if k else "") or "#999999"

    def name(self, kind_uid: str) -> str:
        k = self._kinds.get(kind_uid)
        return k.name if k else kind_uid

    # ------------------------------------------------------------ value checks
    def check_attributes(self, kind_uid: str, values: Mapping[str, Any] | None) -> dict[str, Any]:
        """The stored form of an annotation's attribute values (keyed by attribute uid),
        unset ones dropped; CodebookError names a value that does not fit or an
        attribute that is not one of this kind's."""
        if not values:
            return {}
        return self._check_owned(kind_uid, values, f"kind {self.name(kind_uid)!r}")

    def check_variables(self, values: Mapping[str, Any] | None) -> dict[str, Any]:
        """As check_attributes, for an article's variables."""
        if not values:
            return {}
        return self._check_owned(None, values, "the article variables")

    def _check_owned(self, owner: str | None, values: Mapping[str, Any], what: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for uid, value in values.items():
            attr = self._attributes.get(uid)
            if attr is None or attr.kind_uid != owner:
                raise CodebookError(f"attribute {uid!r} is not one of {what}")
            stored = attr.check(value)
            if stored is not None:
                out[uid] = stored
        return out

    def with_defaults(self, kind_uid: str | None, values: Mapping[str, Any] | None) -> dict[str, Any]:
        """`values` plus the default of every attribute of `kind_uid` (None: article
        variables) that has one and is unset: what a new annotation starts with."""
        out = dict(values or {})
        for a in self._by_kind.get(kind_uid, ()):
            if a.uid not in out and a.default is not None:
                out[a.uid] = a.default
        return out

    def missing_required(self, kind_uid: str | None,
                         values: Mapping[str, Any] | None) -> tuple[Attribute, ...]:
        """Required attributes of `kind_uid` (None: article variables) left unset."""
        have = values or {}
        return tuple(a for a in self._by_kind.get(kind_uid, ())
                     if a.required and have.get(a.uid) is None)

    def readable(self, values: Mapping[str, Any] | None) -> dict[str, str]:
        """Attribute values as {attribute name: human text}, for tables and tooltips."""
        out = {}
        for uid, v in (values or {}).items():
            a = self._attributes.get(uid)
            out[a.name if a else uid] = a.show(v) if a else str(v)
        return out

    # ------------------------------------------------------------- definition
    def check(self) -> None:
        """Refuse a self-contradictory codebook: repeated uids, names or keys, an
        attribute of an unknown kind, a bad type, range or default, limits exceeded.
        CodebookError names the offending entry."""
        from stancemark.core.attribute_values import check_definition

        check_definition(self)

    def replace_kind(self, kind: SpanKind) -> Codebook:
        return Codebook.of([kind if k.uid == kind.uid else k for k in self.kinds],
                           self.attributes)

    def adding(self, *, kinds: Iterable[SpanKind] = (),
               attributes: Iterable[Attribute] = ()) -> Codebook:
        """A checked codebook with these kinds and attributes appended."""
        return Codebook.of((*self.kinds, *kinds), (*self.attributes, *attributes))


def kind_copy(kind: SpanKind, **changes: Any) -> SpanKind:
    return replace(kind, **changes)


def attribute_copy(attr: Attribute, **changes: Any) -> Attribute:
    if "values" in changes:
        changes["values"] = tuple(changes["values"])
    return replace(attr, **changes)


def check_name(name: Any, what: str) -> str:
    """A trimmed, printable, non-empty name of at most MAX_NAME characters."""
    if not isinstance(name, str) or not name.strip():
        raise CodebookError(f"{what} has no name")
    name = name.strip()
    if len(name) > MAX_NAME:
        raise CodebookError(f"{what} name is longer than {MAX_NAME} characters")
    if _CONTROL.search(name):
        raise CodebookError(f"{what} name {name!r} contains a control character")
    return name


def check_colour(colour: Any, what: str) -> str:
    if colour in (None, ""):
        return ""
    if not isinstance(colour, str) or not _COLOUR.fullmatch(colour):
        raise CodebookError(f"{what} colour {colour!r} is not #RRGGBB")
    return colour.upper()


def check_key(key: Any, what: str) -> str:
    if key in (None, ""):
        return ""
    if not isinstance(key, str) or len(key) != 1 or not key.isprintable() or key.isspace():
        raise CodebookError(f"{what} key {key!r} is not one printable character")
    return key


def is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and not (isinstance(value, float) and not math.isfinite(value)))
