"""Checking, parsing and showing attribute values, and checking a codebook definition.

The rules behind Attribute.check / parse / show and Codebook.check (core/codebook.py
documents the stored form of each type). Messages are one line and name the
attribute (and its kind) so a refused import or edit says what to fix.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from stancemark.core.codebook import (
    ATTRIBUTE_TYPES,
    MAX_ATTRIBUTES,
    MAX_DESCRIPTION,
    MAX_KINDS,
    MAX_TEXT,
    MAX_VALUES,
    Attribute,
    CodebookError,
    check_colour,
    check_key,
    check_name,
    is_number,
)

if TYPE_CHECKING:
    from stancemark.core.codebook import Codebook

MULTIPLE_SEPARATOR = ";"


def values_json(values: Any) -> str:
    """The canonical text of attribute values (annotations.attributes, article
    variables): sorted keys, compact, UTF-8 as is. Native JSONL writes the same bytes,
    so an export can copy the stored text without parsing it."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
  # between value names of a multiple choice in human text
_YES = {"yes", "y", "true", "1", "ja", "oui", "sí", "si"}
_NO = {"no", "n", "false", "0", "nein", "non"}


def label(attr: Attribute) -> str:
    return f"attribute {attr.name!r}" if attr.kind_uid else f"article variable {attr.name!r}"


def _range_text(attr: Attribute) -> str:
    lo = "" if attr.minimum is None else _num(attr.minimum)
    hi = "" if attr.maximum is None else _num(attr.maximum)
    return f"{lo}..{hi}"


def _num(x: float) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


def check_value(attr: Attribute, value: Any) -> Any:
    """The stored form of `value` for `attr`, or CodebookError (see core/codebook.py)."""
    if value is None:
        return None
    t = attr.type
    if t == "choice":
        return _check_choice(attr, value)
    if t in ("integer", "number"):
        ok = is_number(value) and (t == "number" or isinstance(value, int))
        if not ok:
            raise CodebookError(f"{label(attr)}: {value!r} is not {'an integer' if t == 'integer' else 'a number'}")
        if ((attr.minimum is not None and value < attr.minimum)
                or (attr.maximum is not None and value > attr.maximum)):
            raise CodebookError(f"{label(attr)}: {value!r} is outside {_range_text(attr)}")
        return value
    if t == "boolean":
        if not isinstance(value, bool):
            raise CodebookError(f"{label(attr)}: {value!r} is not yes/no (true or false)")
        return value
    if not isinstance(value, str):
        raise CodebookError(f"{label(attr)}: {value!r} is not text")
    if t == "text":
        if len(value) > MAX_TEXT:
            raise CodebookError(f"{label(attr)}: text longer than {MAX_TEXT} characters")
        if "\x00" in value:
            raise CodebookError(f"{label(attr)}: text contains a NUL character")
        return value or None
    if t == "date":
        from stancemark.core.dates import is_iso_value

        if not is_iso_value(value):
            raise CodebookError(f"{label(attr)}: {value!r} is not an ISO 8601 date")
        return value
    # actor, topic: a uid; the store checks that it exists.
    if not value.strip() or len(value) > 200:
        raise CodebookError(f"{label(attr)}: {value!r} is not a {t} uid")
    return value


def _check_choice(attr: Attribute, value: Any) -> Any:
    if attr.multiple:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
            raise CodebookError(f"{label(attr)}: {value!r} is not a list of value uids")
        wanted = set(items)
        for v in items:
            if attr.value(v) is None:
                raise CodebookError(f"{label(attr)}: {v!r} is not a value of its vocabulary")
        # Vocabulary order, no repeats: equal choices compare equal (agreement, merge).
        chosen = [v.uid for v in attr.values if v.uid in wanted]
        return chosen or None
    if not isinstance(value, str) or attr.value(value) is None:
        raise CodebookError(f"{label(attr)}: {value!r} is not a value of its vocabulary")
    return value


def parse_value(attr: Attribute, text: str) -> Any:
    """Human text to the stored form (see Attribute.parse)."""
    text = text.strip() if attr.type != "text" else text
    if not text.strip():
        return None
    t = attr.type
    if t == "choice":
        names = [n.strip() for n in text.split(MULTIPLE_SEPARATOR)] if attr.multiple else [text]
        uids = []
        for n in names:
            if not n:
                continue
            v = attr.value_by_name(n) or attr.value(n)
            if v is None:
                raise CodebookError(f"{label(attr)}: {n!r} is not a value of its vocabulary")
            uids.append(v.uid)
        return check_value(attr, uids if attr.multiple else uids[0])
    if t == "integer":
        try:
            return check_value(attr, int(text))
        except ValueError:
            raise CodebookError(f"{label(attr)}: {text!r} is not an integer") from None
    if t == "number":
        try:
            number = float(text)
        except ValueError:
            raise CodebookError(f"{label(attr)}: {text!r} is not a number") from None
        return check_value(attr, int(number) if number.is_integer() and "." not in text
                           and "e" not in text.lower() else number)
    if t == "boolean":
        folded = text.casefold()
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        raise CodebookError(f"{label(attr)}: {text!r} is not yes or no")
    return check_value(attr, text)


def show_value(attr: Attribute, value: Any) -> str:
    """Stored form to human text (see Attribute.show)."""
    if value is None:
        return ""
    if attr.type == "choice":
        uids = value if isinstance(value, list | tuple) else [value]
        names = [_value_name(attr, u) for u in uids]
        return f"{MULTIPLE_SEPARATOR} ".join(names)
    if attr.type == "boolean":
        return "yes" if value else "no"
    if isinstance(value, float):
        return _num(value)
    return str(value)


def _value_name(attr: Attribute, uid: str) -> str:
    v = attr.value(uid)
    return v.name if v is not None else uid


def check_definition(book: Codebook) -> None:
    """Codebook.check: one CodebookError naming the first contradiction found."""
    from stancemark.core.builtin_kinds import BUILTIN_KIND_UIDS

    if len(book.kinds) > MAX_KINDS:
        raise CodebookError(f"more than {MAX_KINDS} span kinds ({len(book.kinds)})")
    if len(book.attributes) > MAX_ATTRIBUTES:
        raise CodebookError(f"more than {MAX_ATTRIBUTES} attributes ({len(book.attributes)})")
    uids: set[str] = set()
    names: dict[str, str] = {}
    keys: dict[str, str] = {}
    for k in book.kinds:
        what = f"span kind {k.name!r}"
        _unique_uid(k.uid, what, uids)
        name = check_name(k.name, what)
        if name.casefold() in names:
            raise CodebookError(f"two span kinds are named {name!r}")
        names[name.casefold()] = k.uid
        check_colour(k.colour, what)
        _text_limit(k.description, what)
        key = check_key(k.key, what).casefold()
        if key and key in keys:
            raise CodebookError(f"span kinds {keys[key]!r} and {name!r} share the key {k.key!r}")
        if key:
            keys[key] = name
        if k.builtin != (k.uid in BUILTIN_KIND_UIDS):
            raise CodebookError(f"{what}: only actor, date and stance are built-in kinds")
    missing = [u for u in BUILTIN_KIND_UIDS if u not in names.values()]
    if missing:
        raise CodebookError(f"the built-in span kind {missing[0]!r} is missing")
    owned: dict[tuple[str | None, str], str] = {}
    for a in book.attributes:
        _check_attribute(book, a, uids, owned)


def _unique_uid(uid: Any, what: str, seen: set[str]) -> None:
    if not isinstance(uid, str) or not uid.strip() or len(uid) > 200:
        raise CodebookError(f"{what}: bad uid {uid!r}")
    if uid in seen:
        raise CodebookError(f"{what}: uid {uid!r} is used twice")
    seen.add(uid)


def _text_limit(text: Any, what: str) -> None:
    if not isinstance(text, str):
        raise CodebookError(f"{what}: description is not text")
    if len(text) > MAX_DESCRIPTION:
        raise CodebookError(f"{what}: description longer than {MAX_DESCRIPTION} characters")


def _check_attribute(book: Codebook, a: Attribute, uids: set[str],
                     owned: dict[tuple[str | None, str], str]) -> None:
    owner = "the article variables" if a.kind_uid is None else f"kind {book.name(a.kind_uid)!r}"
    what = f"{label(a)} of {owner}" if a.kind_uid else label(a)
    _unique_uid(a.uid, what, uids)
    name = check_name(a.name, what)
    if a.kind_uid is not None and not book.has_kind(a.kind_uid):
        raise CodebookError(f"{what}: unknown span kind {a.kind_uid!r}")
    if (a.kind_uid, name.casefold()) in owned:
        raise CodebookError(f"{owner} has two attributes named {name!r}")
    owned[(a.kind_uid, name.casefold())] = a.uid
    _text_limit(a.description, what)
    if a.type not in ATTRIBUTE_TYPES:
        raise CodebookError(f"{what}: unknown type {a.type!r} (use {', '.join(ATTRIBUTE_TYPES)})")
    if a.type != "choice" and (a.values or a.multiple or a.ordered):
        raise CodebookError(f"{what}: only a choice has a vocabulary, multiple or ordered")
    if a.type not in ("integer", "number") and (a.minimum is not None or a.maximum is not None):
        raise CodebookError(f"{what}: only an integer or a number has a range")
    for bound in (a.minimum, a.maximum):
        if bound is not None and (not is_number(bound)
                                  or (a.type == "integer" and not float(bound).is_integer())):
            raise CodebookError(f"{what}: range bound {bound!r} is not {'an integer' if a.type == 'integer' else 'a number'}")
    if a.minimum is not None and a.maximum is not None and a.minimum > a.maximum:
        raise CodebookError(f"{what}: minimum {_num(a.minimum)} is above maximum {_num(a.maximum)}")
    if len(a.values) > MAX_VALUES:
        raise CodebookError(f"{what}: more than {MAX_VALUES} values in its vocabulary")
    vnames: set[str] = set()
    vkeys: set[str] = set()
    for v in a.values:
        vwhat = f"value {v.name!r} of {what}"
        _unique_uid(v.uid, vwhat, uids)
        vname = check_name(v.name, vwhat)
        if vname.casefold() in vnames:
            raise CodebookError(f"{what}: two values are named {vname!r}")
        vnames.add(vname.casefold())
        check_colour(v.colour, vwhat)
        _text_limit(v.description, vwhat)
        vkey = check_key(v.key, vwhat).casefold()
        if vkey and vkey in vkeys:
            raise CodebookError(f"{what}: two values share the key {v.key!r}")
        vkeys.add(vkey)
    if a.default is not None:
        try:
            stored = check_value(a, a.default)
        except CodebookError as exc:
            raise CodebookError(f"{what}: default {a.default!r} does not fit ({_reason(exc)})") from None
        if stored != a.default:
            raise CodebookError(f"{what}: default {a.default!r} is not in stored form ({stored!r})")


def _reason(exc: CodebookError) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text
