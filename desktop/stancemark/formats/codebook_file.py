"""Stancemark's codebook file: YAML, written by hand or by `stancemark codebook export`.

Why YAML: a codebook is written by people before the first article is coded, and
YAML lets them comment it (the codebook's rationale beside each entry), write a
vocabulary as a plain list, and leave out everything optional; JSON has no comments
and punishes a missing comma. It is read with PyYAML's safe loader (no tags, no
objects) and aliases are refused (no "billion laughs"); files over MAX_FILE_BYTES
are refused before parsing, and the codebook limits (core/codebook.py: MAX_KINDS,
MAX_ATTRIBUTES, MAX_VALUES, MAX_NAME) apply to what is read.

    # Stancemark codebook
    stancemark_codebook: 1
    kinds:
      - name: frame                  # a custom span kind
        description: How the article frames the issue.
        colour: "#009E73"
        key: F
        attributes:
          - name: frame_type
            type: choice             # choice, integer, number, boolean, text, date, actor, topic
            required: true
            values: [economic, security, identity, sovereignty]
            default: economic
      - name: stance                 # a built-in kind: add attributes to it
        attributes:
          - name: intensity
            type: integer
            min: 1
            max: 5
          - name: justification
            type: choice
            multiple: true           # several values at once
            values:
              - legal
              - name: moral
                description: Appeals to right and wrong.
                key: m
              - economic
    article_variables:
      - name: genre
        type: choice
        values: [news, opinion, interview]
      - name: relevant
        type: boolean

Keys: a kind has name, uid, description, colour (#RRGGBB), key (one character) and
attributes; an attribute has name, uid, type, description, required, default,
multiple and ordered (choices), min and max (integer, number) and values; a value is
a name, or a mapping with name, uid, description, colour and key. A choice's default
is a value name (a list of names when multiple). uids are optional: an import
matches by name where none is given and the store gives new uids; an export writes
them, so a file that goes round between colleagues keeps its identities (stores that
share uids merge). Importing never removes anything from the store's codebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stancemark.core.builtin_kinds import BUILTIN_KIND_UIDS
from stancemark.core.codebook import ATTRIBUTE_TYPES, Attribute, Codebook, SpanKind, Value
from stancemark.core.errors import InputError
from stancemark.formats.codebook_apply import AttributeSpec, KindSpec, ValueSpec

FORMAT_VERSION = 1
MAX_FILE_BYTES = 5_000_000
_KIND_KEYS = {"name", "uid", "description", "colour", "key", "attributes"}
_ATTRIBUTE_KEYS = {"name", "uid", "type", "description", "required", "default", "multiple",
                   "ordered", "min", "max", "values"}
_VALUE_KEYS = {"name", "uid", "description", "colour", "key"}


class _Line(dict):
    """A mapping that remembers the line it started on."""

    line = 0


def _loader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: Any, node: Any) -> _Line:
        out = _Line()
        out.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise InputError(f"key {key!r} is not text", None, key_node.start_mark.line + 1)
            if key in out:
                raise InputError(f"key {key!r} given twice", None, key_node.start_mark.line + 1)
            out[key] = loader.construct_object(value_node, deep=True)
        return out

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return Loader


def parse_yaml(text: str, where: str) -> Any:
    """YAML to plain data (mappings remember their line); InputError naming the line."""
    import yaml

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise InputError("YAML aliases (*name) are not allowed in a codebook", where,
                                 mark.line + 1 if mark is not None else None)
        loader = _loader()(text)  # a SafeLoader subclass: no tags, no objects
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except InputError as exc:
        raise InputError(exc.reason, where, exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(f"not valid YAML: {exc.problem or exc.context}", where,
                         mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", where) from None


def read_file_text(path: Path) -> str:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"larger than {MAX_FILE_BYTES // 1_000_000} MB; not a codebook",
                             str(path))
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", str(path)) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), str(path)) from None


def read_codebook(path: Path) -> tuple[list[KindSpec], list[AttributeSpec]]:
    """Specs from a Stancemark codebook file (apply with codebook_apply.apply_specs)."""
    where = str(path)
    return specs_from_data(parse_yaml(read_file_text(path), where), where)


def _with_lines(data: Any, line: int) -> Any:
    """JSON data as parse_yaml gives it, every mapping on `line` (a JSONL record's)."""
    if isinstance(data, dict):
        out = _Line((k, _with_lines(v, line)) for k, v in data.items())
        out.line = line
        return out
    if isinstance(data, list):
        return [_with_lines(v, line) for v in data]
    return data


def codebook_from_record(data: dict[str, Any], where: str, line: int) -> Codebook:
    """The codebook of a native JSONL "codebook" record (codebook_data's shape, every
    uid given), checked; InputError naming file and line."""
    from dataclasses import replace

    from stancemark.core.codebook import CodebookError
    from stancemark.formats.codebook_apply import resolve_default

    kinds, attributes = specs_from_data(_with_lines(data, line), where)
    try:
        missing = next((k.kind.name for k in kinds if not k.kind.uid), None) or next(
            (a.attribute.name for a in attributes if not a.attribute.uid
             or any(not v.value.uid for v in a.values)), None)
        if missing:
            raise CodebookError(f"{missing!r} has no uid (a native file's codebook gives every uid)")
        attrs = []
        for a in attributes:
            attr = replace(a.attribute, kind_uid=a.kind, values=tuple(v.value for v in a.values))
            attrs.append(replace(attr, default=resolve_default(attr, a)))
        return Codebook.of([replace(k.kind, builtin=k.kind.uid in BUILTIN_KIND_UIDS)
                            for k in kinds], attrs)
    except CodebookError as exc:
        raise InputError(f"codebook: {exc}", where, line) from None


def specs_from_data(data: Any, where: str) -> tuple[list[KindSpec], list[AttributeSpec]]:
    """Specs from a parsed codebook (the file's shape)."""
    if not isinstance(data, dict):
        raise InputError("not a codebook (a mapping with kinds and article_variables)", where, 1)
    line = getattr(data, "line", 1)
    unknown = set(data) - {"stancemark_codebook", "kinds", "article_variables"}
    if unknown:
        raise InputError(f"unknown key {sorted(unknown)[0]!r}", where, line)
    version = data.get("stancemark_codebook", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise InputError(f"codebook format {version!r} is not {FORMAT_VERSION} "
                         "(written by a newer Stancemark?)", where, line)
    kinds: list[KindSpec] = []
    attributes: list[AttributeSpec] = []
    for item in _list(data.get("kinds"), "kinds", where, line):
        k = _mapping(item, "a span kind", _KIND_KEYS, where, line)
        name = _text(k, "name", where, required=True)
        kind = SpanKind(_text(k, "uid", where), name, _text(k, "description", where),
                        _text(k, "colour", where), _text(k, "key", where))
        kinds.append(KindSpec(kind, k.line, frozenset(set(k) & {"name", "description", "colour", "key"})))
        for a in _list(k.get("attributes"), "attributes", where, k.line):
            attributes.append(_attribute(a, kind.uid or name, where, k.line))
    for a in _list(data.get("article_variables"), "article_variables", where, line):
        attributes.append(_attribute(a, None, where, line))
    return kinds, attributes


def _list(value: Any, what: str, where: str, line: int) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{what} is not a list", where, line)
    return value


def _mapping(item: Any, what: str, keys: set[str], where: str, line: int) -> _Line:
    if not isinstance(item, dict):
        raise InputError(f"{what} is not a mapping: {item!r}", where, line)
    unknown = set(item) - keys
    if unknown:
        raise InputError(f"{what}: unknown key {sorted(unknown)[0]!r} (use {', '.join(sorted(keys))})",
                         where, getattr(item, "line", line))
    return item if isinstance(item, _Line) else _Line(item)  # the loader makes _Lines


def _text(m: _Line, key: str, where: str, required: bool = False) -> str:
    value = m.get(key)
    if value is None:
        if required:
            raise InputError(f"no {key}", where, m.line)
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"{key} {value!r} is not text", where, m.line)
    return str(value)


def _flag(m: _Line, key: str, where: str) -> bool:
    value = m.get(key, False)
    if not isinstance(value, bool):
        raise InputError(f"{key} {value!r} is not true or false", where, m.line)
    return value


def _bound(m: _Line, key: str, where: str) -> float | None:
    value = m.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise InputError(f"{key} {value!r} is not a number", where, m.line)
    return value


def _attribute(item: Any, kind: str | None, where: str, line: int) -> AttributeSpec:
    a = _mapping(item, "an attribute", _ATTRIBUTE_KEYS, where, line)
    name = _text(a, "name", where, required=True)
    type_ = _text(a, "type", where, required=True)
    if type_ not in ATTRIBUTE_TYPES:
        raise InputError(f"attribute {name!r}: unknown type {type_!r} (use "
                         f"{', '.join(ATTRIBUTE_TYPES)})", where, a.line)
    values = []
    for v in _list(a.get("values"), "values", where, a.line):
        if isinstance(v, str | int | float) and not isinstance(v, bool):
            values.append(ValueSpec(Value("", str(v)), frozenset({"name"})))
            continue
        m = _mapping(v, "a value", _VALUE_KEYS, where, a.line)
        values.append(ValueSpec(Value(_text(m, "uid", where), _text(m, "name", where, required=True),
                                      _text(m, "description", where), _text(m, "colour", where),
                                      _text(m, "key", where)),
                                frozenset(set(m) & {"name", "description", "colour", "key"})))
    default = a.get("default")
    attr = Attribute(_text(a, "uid", where), name, type_, None, _text(a, "description", where),
                     _flag(a, "required", where), None if type_ == "choice" else default,
                     _flag(a, "multiple", where), _flag(a, "ordered", where),
                     _bound(a, "min", where), _bound(a, "max", where))
    given = {"min": "minimum", "max": "maximum"}
    return AttributeSpec(attr, kind, a.line, frozenset(given.get(k, k) for k in a),
                         values, default if type_ == "choice" else None)


# ------------------------------------------------------------------- writing
def codebook_data(book: Codebook) -> dict[str, Any]:
    """The codebook as the file's plain data (uids included); also the native JSONL
    "codebook" record."""
    return {
        "stancemark_codebook": FORMAT_VERSION,
        "kinds": [_kind_data(book, k) for k in book.kinds],
        "article_variables": [_attribute_data(a) for a in book.article_variables()],
    }


def _kind_data(book: Codebook, k: SpanKind) -> dict[str, Any]:
    out: dict[str, Any] = {"name": k.name, "uid": k.uid}
    for f in ("description", "colour", "key"):
        if getattr(k, f):
            out[f] = getattr(k, f)
    attrs = [_attribute_data(a) for a in book.attributes_of(k.uid)]
    if attrs:
        out["attributes"] = attrs
    return out


def _attribute_data(a: Attribute) -> dict[str, Any]:
    out: dict[str, Any] = {"name": a.name, "uid": a.uid, "type": a.type}
    if a.description:
        out["description"] = a.description
    for f in ("required", "multiple", "ordered"):
        if getattr(a, f):
            out[f] = True
    if a.minimum is not None:
        out["min"] = a.minimum
    if a.maximum is not None:
        out["max"] = a.maximum
    if a.values:
        out["values"] = [{"name": v.name, "uid": v.uid,
                          **{f: getattr(v, f) for f in ("description", "colour", "key")
                             if getattr(v, f)}} for v in a.values]
    if a.default is not None:
        if a.type == "choice":
            uids = a.default if isinstance(a.default, list) else [a.default]
            names = [v.name for v in a.values if v.uid in uids]
            out["default"] = names if a.multiple else names[0]
        else:
            out["default"] = a.default
    return out


def write_codebook(book: Codebook, out: Path) -> Path:
    """Write the codebook file (atomically), with a header comment."""
    import yaml

    from stancemark.formats.common import atomic_write

    text = yaml.safe_dump(codebook_data(book), sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=100)
    header = ("# Stancemark codebook (see the README's Codebook section).\n"
              "# Built-in kinds: " + ", ".join(BUILTIN_KIND_UIDS) + ". Keep the uids: stores "
              "that share them merge.\n")
    with atomic_write(Path(out), newline="\n") as fh:
        fh.write(header + text)
    return Path(out)


def show_codebook(book: Codebook) -> str:
    """A readable listing for `stancemark codebook show`."""
    lines = []
    for k in book.kinds:
        flags = " (built-in)" if k.builtin else ""
        key = f" [{k.key}]" if k.key else ""
        lines.append(f"{k.name}{key}{flags} {k.colour} {k.uid}".rstrip())
        lines += ["  " + _attribute_line(a) for a in book.attributes_of(k.uid)]
    variables = book.article_variables()
    if variables:
        lines.append("article variables")
        lines += ["  " + _attribute_line(a) for a in variables]
    return "\n".join(lines)


def _attribute_line(a: Attribute) -> str:
    parts = [a.name, a.type]
    if a.type == "choice":
        parts.append(("multiple " if a.multiple else "") + ("ordered " if a.ordered else "")
                     + "[" + ", ".join(v.name for v in a.values) + "]")
    if a.minimum is not None or a.maximum is not None:
        parts.append(f"{'' if a.minimum is None else a.minimum}..{'' if a.maximum is None else a.maximum}")
    if a.required:
        parts.append("required")
    if a.default is not None:
        parts.append(f"default {a.show(a.default)}")
    return " ".join(parts)
