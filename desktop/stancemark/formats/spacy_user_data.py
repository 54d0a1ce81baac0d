"""Checks of a DocBin's `doc.user_data["stancemark"]` before anything is written.

The user data comes from a file someone else made: every value is checked for the
type and shape the export writes (formats/spacy_docbin.py documents the structure)
before the import's writing pass reads it, so a list where a mapping belongs, a number
where text belongs, a missing key or a foreign version is refused in one line naming
the file and the document (1-based), and nothing is imported.

msgpack decides what can arrive: lists come back as tuples, binary as bytes, and
srsly's numpy hook turns some maps into numpy arrays (whose truth value raises), so
every check is an isinstance test made before the value is used.
"""

from __future__ import annotations

from typing import Any

from stancemark.core.errors import InputError
from stancemark.core.text import check_span

VERSION = 1  # the newest user data version this code reads and writes
ARTICLE_KEYS = ("uid", "title", "source", "url", "author", "published", "language")
# annotation fields that hold text (uids, values, names) or nothing
ANN_TEXT_KEYS = ("annotator", "actor", "date_value", "date_granularity", "holder",
                 "target_topic", "target_actor", "polarity", "stance_date", "note")
ANN_KEYS = frozenset(("uid", "kind", "start", "end", "quote", "attributes", *ANN_TEXT_KEYS))
TOP_KEYS = frozenset(("version", "article", "annotations", "actors", "topics", "annotators",
                      "variables"))


class _Doc:
    """Where an error points: the file and the document number."""

    def __init__(self, where: str, n: int):
        self.where = where
        self.n = n

    def refuse(self, message: str) -> InputError:
        return InputError(message, self.where, self.n)


def _type(value: Any) -> str:
    """What a value is, in the words of the export's structure (msgpack's tuples are lists)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes/no"
    for types, name in ((str, "text"), (int | float, "a number"), (tuple | list, "a list"),
                        (dict, "a mapping"), (bytes, "binary data")):
        if isinstance(value, types):
            return name
    return type(value).__name__


def _shown(key: Any) -> str:
    """A key as the message quotes it: repr, cut short (a file may hold a long one)."""
    text = repr(key)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _mapping(value: Any, what: str, at: _Doc) -> dict[Any, Any]:
    """A mapping of the user data; absent (None) is empty."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise at.refuse(f"{what} must be a mapping, not {_type(value)}")
    return value


def _sequence(value: Any, what: str, at: _Doc) -> tuple[Any, ...] | list[Any]:
    """A list of the user data (msgpack gives it back as a tuple); absent is empty."""
    if value is None:
        return ()
    if not isinstance(value, tuple | list):
        raise at.refuse(f"{what} must be a list, not {_type(value)}")
    return value


def _text(rec: dict[Any, Any], key: str, what: str, at: _Doc, *, required: bool = False
          ) -> str | None:
    value = rec.get(key)
    if value is None:
        if required:
            raise at.refuse(f"{what}: missing field {key!r}")
        return None
    if not isinstance(value, str):
        raise at.refuse(f"{what}: field {key!r} must be text, not {_type(value)}")
    return value


def _names(value: Any, what: str, at: _Doc) -> dict[str, str]:
    """{uid: name} of the actors, topics or annotators a document uses."""
    out: dict[str, str] = {}
    for uid, name in _mapping(value, what, at).items():
        if not isinstance(uid, str) or not uid.strip():
            raise at.refuse(f"{what}: a uid must be non-empty text, not {_shown(uid)}")
        if name is not None and not isinstance(name, str):
            raise at.refuse(f"{what}: the name of {uid} must be text, not {_type(name)}")
        out[uid] = name or ""
    return out


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float)  # bool is an int


def _values(value: Any, what: str, at: _Doc) -> dict[str, Any]:
    """{attribute name: value}: text, a number, yes/no or a list of them (a multiple
    choice); their meaning is checked against the codebook when written."""
    out: dict[str, Any] = {}
    for name, v in _mapping(value, what, at).items():
        if not isinstance(name, str):
            raise at.refuse(f"{what}: an attribute name must be text, not {_shown(name)}")
        if isinstance(v, tuple | list):
            if not all(_scalar(item) and item is not None for item in v):
                raise at.refuse(f"{what}: attribute {name!r} holds a list of other than "
                                "text, numbers or yes/no")
            v = list(v)
        elif not _scalar(v):
            raise at.refuse(f"{what}: attribute {name!r} must be text, a number, yes/no or a "
                            f"list of them, not {_type(v)}")
        out[name] = v
    return out


def _version(data: dict[Any, Any], at: _Doc) -> None:
    version = data.get("version")
    if version is None:
        raise at.refuse("stancemark user data without a 'version'")
    if not _is_int(version):
        raise at.refuse(f"stancemark user data version must be a number, not {_type(version)}")
    if version > VERSION:
        raise at.refuse(f"stancemark user data version {version} is newer than this "
                        f"Stancemark reads ({VERSION})")
    if version < 1:
        raise at.refuse(f"unknown stancemark user data version {version}")


def _annotation(a: Any, i: int, text: str, seen: dict[str, int], at: _Doc) -> dict[str, Any]:
    if not isinstance(a, dict):
        raise at.refuse(f"annotation {i + 1} must be a mapping, not {_type(a)}")
    uid = _text(a, "uid", f"annotation {i + 1}", at, required=True)
    assert uid is not None  # (required)
    if not uid.strip():
        raise at.refuse(f"annotation {i + 1}: empty uid")
    what = f"annotation {uid}"
    if uid in seen:
        raise at.refuse(f"duplicate annotation uid {uid} (also in document {seen[uid]})")
    seen[uid] = at.n
    unknown = sorted(str(k) for k in a if k not in ANN_KEYS)
    if unknown:
        raise at.refuse(f"{what}: unknown field(s) {', '.join(unknown)}")
    kind = _text(a, "kind", what, at, required=True)
    if kind is None or not kind.strip():
        raise at.refuse(f"{what}: an annotation without a kind")
    quote = _text(a, "quote", what, at, required=True)
    problem = check_span(text, a.get("start"), a.get("end"), quote)
    if problem:
        raise at.refuse(f"{what}: {problem}")
    out: dict[str, Any] = {key: _text(a, key, what, at) for key in ANN_TEXT_KEYS}
    out.update(uid=uid, kind=kind, start=a["start"], end=a["end"], quote=quote,
               attributes=_values(a.get("attributes"), f"{what}: attributes", at))
    return out


def checked_user_data(data: Any, text: str, where: str, n: int, seen: dict[str, int]
                      ) -> dict[str, Any]:
    """The user data of document `n` of file `where` (its text `text`) with every value
    of the type the import uses: {"article": {field: text or None}, "annotations": [...],
    "actors", "topics", "annotators": {uid: name}, "variables": {annotator name:
    {variable name: value}}}. `seen` maps the annotation uids met so far in the file to
    their document, since one uid twice would import one annotation in place of two."""
    at = _Doc(where, n)
    if not isinstance(data, dict):
        raise at.refuse(f"stancemark user data must be a mapping, not {_type(data)}")
    unknown = sorted(str(k) for k in data if k not in TOP_KEYS)
    if unknown:
        raise at.refuse(f"stancemark user data: unknown field(s) {', '.join(unknown)}")
    _version(data, at)
    article = _mapping(data.get("article"), "article", at)
    variables = {}
    for name, values in _mapping(data.get("variables"), "variables", at).items():
        if not isinstance(name, str) or not name.strip():
            raise at.refuse("variables: an annotator name must be non-empty text, not "
                            f"{_shown(name)}")
        variables[name] = _values(values, f"variables of {name}", at)
    return {
        "article": {key: _text(article, key, "article", at) for key in ARTICLE_KEYS},
        "annotations": [_annotation(a, i, text, seen, at) for i, a in
                        enumerate(_sequence(data.get("annotations"), "annotations", at))],
        "actors": _names(data.get("actors"), "actors", at),
        "topics": _names(data.get("topics"), "topics", at),
        "annotators": _names(data.get("annotators"), "annotators", at),
        "variables": variables,
    }
