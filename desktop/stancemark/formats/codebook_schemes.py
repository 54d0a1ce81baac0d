"""Peers' scheme files read as codebooks: a Label Studio labeling config and a brat
annotation.conf. Both give specs for formats.codebook_apply (one transaction, nothing
removed, the built-in kinds stay).

Label Studio labeling config (XML, parsed with defusedxml: no DTD, no entities):
- each <Label value="X" background="#RRGGBB" hotkey="k"> of a <Labels> (or
  <HyperTextLabels>, <ParagraphLabels>) is a span kind X (a label named actor, date or
  stance, or ACTOR:..., is that built-in kind, left as it is);
- per-region controls are attributes: <Choices perRegion="true"> a choice (choice=
  "multiple": several values), <Number perRegion> an integer (a number when min, max
  or step is fractional), <Rating perRegion> an integer 1..maxRating, <TextArea
  perRegion> a text, <DateTime perRegion> a date. They go on the kinds named by
  whenLabelValue (comma-separated), else on every kind of the config's labels;
- the same controls without perRegion are article variables.

brat annotation.conf ([entities], [events], [attributes]; [relations] are not coded
by Stancemark and are skipped):
- each entity type and each event type is a span kind (types marked "!" are
  abstract and skipped; tab-indented hierarchy is flattened);
- each role of an event is a text attribute of that event's kind (holding the
  argument), required unless the role is marked ? or *; the role's argument types
  go into its description;
- each attribute is a choice of its Value list, or yes/no without one, on the kinds
  of its Arg (<EVENT>, <ENTITY>, <ANY> or type names).
On the built-in kinds, roles and attributes that are their own fields (holder,
target, polarity: what Stancemark's brat export writes) are not added again.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from stancemark.core.builtin_kinds import BUILTIN_KIND_UIDS
from stancemark.core.codebook import Attribute, SpanKind, Value
from stancemark.core.errors import InputError
from stancemark.formats.codebook_apply import AttributeSpec, KindSpec, ValueSpec
from stancemark.formats.codebook_file import read_file_text
from stancemark.formats.common import parse_xml

_LABELS = {"labels", "hypertextlabels", "paragraphlabels"}
_BUILTIN_FIELDS = {"holder", "target", "polarity", "actor", "date", "note"}
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def _builtin(name: str) -> str | None:
    head = name.split(":", 1)[0].strip().casefold()
    return head if head in BUILTIN_KIND_UIDS else None


def _kind_spec(name: str, line: int, colour: str = "", key: str = "") -> KindSpec:
    builtin = _builtin(name)
    if builtin:  # the built-in kind stays as it is
        return KindSpec(SpanKind(builtin, builtin), line, frozenset())
    colour = colour if _COLOUR.fullmatch(colour or "") else ""
    key = key if len(key or "") == 1 else ""
    given = {"name"} | ({"colour"} if colour else set()) | ({"key"} if key else set())
    return KindSpec(SpanKind("", name.strip(), "", colour, key), line, frozenset(given))


def read_labelstudio_config(path: Path) -> tuple[list[KindSpec], list[AttributeSpec]]:
    where = str(path)
    root, lines = parse_xml(read_file_text(path).encode("utf-8"), where)
    kinds: list[KindSpec] = []
    seen: set[str] = set()
    label_values: set[str] = set()  # "STANCE:oppose" names the built-in stance kind
    for el in root.iter():
        if el.tag.lower() in _LABELS:
            for label in el:
                if label.tag.lower() != "label":
                    continue
                value = (label.get("value") or "").strip()
                if not value:
                    raise InputError("a <Label> without a value", where, lines.get(id(label)))
                label_values.add(value.casefold())
                spec = _kind_spec(value, lines.get(id(label), 0), label.get("background", ""),
                                  label.get("hotkey", ""))
                if spec.kind.name.casefold() not in seen:
                    seen.add(spec.kind.name.casefold())
                    kinds.append(spec)
    if not kinds:
        raise InputError("no <Labels> with <Label> values: not a span labeling config", where, 1)
    names = [k.kind.name for k in kinds]
    attributes: list[AttributeSpec] = []
    for el in root.iter():
        tag = el.tag.lower()
        if tag not in ("choices", "number", "rating", "textarea", "datetime"):
            continue
        line = lines.get(id(el), 0)
        name = (el.get("name") or "").strip()
        if not name:
            raise InputError(f"<{el.tag}> without a name", where, line)
        attr, values = _ls_control(el, tag, name, where, line, lines)
        if el.get("perRegion", "").lower() != "true":
            attributes.append(AttributeSpec(attr, None, line, _given(attr), values))
            continue
        targets = [t.strip() for t in (el.get("whenLabelValue") or "").split(",") if t.strip()]
        for t in targets:
            if t.casefold() not in seen and t.casefold() not in label_values:
                raise InputError(f"<{el.tag} name={name!r}>: whenLabelValue {t!r} is no label "
                                 "of the config", where, line)
        for kind in dict.fromkeys(_builtin(t) or t for t in targets or names):
            attributes.append(AttributeSpec(attr, kind, line, _given(attr),
                                            [ValueSpec(v.value, v.given) for v in values]))
    return kinds, attributes


def _given(attr: Attribute) -> frozenset[str]:
    given = {"name", "type"}
    if attr.multiple:
        given.add("multiple")
    if attr.minimum is not None:
        given.add("minimum")
    if attr.maximum is not None:
        given.add("maximum")
    return frozenset(given)


def _number(text: str | None, what: str, where: str, line: int) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{what} {text!r} is not a number", where, line) from None
    return int(value) if value.is_integer() else value


def _ls_control(el: ET.Element, tag: str, name: str, where: str, line: int,
                lines: dict[int, int]) -> tuple[Attribute, list[ValueSpec]]:
    if tag == "choices":
        values = []
        for c in el.iter():
            if c.tag.lower() == "choice":
                v = (c.get("value") or c.get("alias") or "").strip()
                if not v:
                    raise InputError("a <Choice> without a value", where, lines.get(id(c), line))
                key = c.get("hotkey", "")
                values.append(ValueSpec(Value("", v, key=key if len(key) == 1 else ""),
                                        frozenset({"name"} | ({"key"} if len(key) == 1 else set()))))
        return Attribute("", name, "choice", multiple=el.get("choice") == "multiple"), values
    if tag == "number":
        lo = _number(el.get("min"), "min", where, line)
        hi = _number(el.get("max"), "max", where, line)
        step = _number(el.get("step"), "step", where, line)
        integer = all(x is None or isinstance(x, int) for x in (lo, hi, step))
        return Attribute("", name, "integer" if integer else "number", minimum=lo, maximum=hi), []
    if tag == "rating":
        top = _number(el.get("maxRating") or "5", "maxRating", where, line)
        return Attribute("", name, "integer", minimum=1, maximum=top), []
    return Attribute("", name, "text" if tag == "textarea" else "date"), []


# ------------------------------------------------------------------------ brat
_SECTION = re.compile(r"^\[(\w+)\]\s*$")
_MACRO = re.compile(r"^<([A-Z][A-Z0-9_-]*)>\s*=\s*(.+)$")


def read_brat_conf(path: Path) -> tuple[list[KindSpec], list[AttributeSpec]]:
    where = str(path)
    section = ""
    macros: dict[str, str] = {}
    entities: list[str] = []
    events: list[str] = []
    kinds: list[KindSpec] = []
    attributes: list[AttributeSpec] = []
    pending: list[tuple[int, str, str]] = []  # attribute lines, after every kind is known
    for n, raw in enumerate(read_file_text(path).splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _SECTION.match(line.strip())
        if m:
            section = m.group(1).lower()
            if section not in ("entities", "relations", "events", "attributes"):
                raise InputError(f"unknown section [{m.group(1)}]", where, n)
            continue
        m = _MACRO.match(line.strip())
        if m:
            macros[m.group(1)] = m.group(2).strip()
            continue
        if not section:
            raise InputError("a line before any [section]", where, n)
        if section == "relations":
            continue
        head, _, rest = line.strip().partition("\t")
        if not rest and " " in head and section != "entities":
            head, _, rest = head.partition(" ")
        head = head.strip()
        if section == "attributes":
            pending.append((n, head, rest))
            continue
        if not re.fullmatch(r"!?[^\s:,|<>]+", head):
            raise InputError(f"bad type name {head!r}", where, n)
        if head.startswith("!"):
            continue
        (entities if section == "entities" else events).append(head)
        spec = _kind_spec(head, n)
        kinds.append(spec)
        if section == "events" and rest.strip():
            attributes += _roles(spec, rest, macros, where, n)
    if not kinds:
        raise InputError("no [entities] or [events] types: not an annotation.conf", where, 1)
    for n, head, rest in pending:
        attributes += _brat_attribute(head, rest, entities, events, macros, where, n)
    return kinds, attributes


def _expand(text: str, macros: dict[str, str]) -> str:
    for _ in range(5):  # macros may name macros; a bounded number of rounds
        new = re.sub(r"<([A-Z][A-Z0-9_-]*)>", lambda m: macros.get(m.group(1), m.group(0)), text)
        if new == text:
            break
        text = new
    return text


def _roles(kind: KindSpec, rest: str, macros: dict[str, str], where: str, n: int) -> list[AttributeSpec]:
    out = []
    for part in _expand(rest, macros).split(","):
        role, _, types = part.strip().partition(":")
        if not role or not types:
            raise InputError(f"bad role {part.strip()!r} (ROLE:Type|Type)", where, n)
        optional = role.endswith(("?", "*"))
        name = re.sub(r"\d*[?*+]?$", "", role.strip())
        if not name:
            raise InputError(f"bad role {part.strip()!r}", where, n)
        if kind.kind.uid and name.casefold() in _BUILTIN_FIELDS:
            continue
        attr = Attribute("", name, "text", description=f"argument: {types.strip()}",
                         required=not optional)
        out.append(AttributeSpec(attr, kind.kind.uid or kind.kind.name, n,
                                 frozenset({"name", "type", "description", "required"})))
    return out


def _brat_attribute(head: str, rest: str, entities: list[str], events: list[str],
                    macros: dict[str, str], where: str, n: int) -> list[AttributeSpec]:
    fields: dict[str, str] = {}
    for part in _expand(rest, macros).split(","):
        key, _, value = part.strip().partition(":")
        if not key or not value:
            raise InputError(f"attribute {head!r}: bad part {part.strip()!r} (Arg:Type, Value:A|B)",
                             where, n)
        fields[key.strip()] = value.strip()
    if "Arg" not in fields:
        raise InputError(f"attribute {head!r} names no Arg", where, n)
    targets: list[str] = []
    for t in fields["Arg"].split("|"):
        t = t.strip()
        targets += (events if t == "<EVENT>" else entities if t == "<ENTITY>"
                    else entities + events if t == "<ANY>" else [t])
    known = {x.casefold() for x in entities + events}
    for t in targets:
        if t.casefold() not in known:
            raise InputError(f"attribute {head!r}: Arg {t!r} is no entity or event type", where, n)
    if "Value" in fields:
        names = [v.strip() for v in fields["Value"].split("|") if v.strip()]
        values = [ValueSpec(Value("", v), frozenset({"name"})) for v in names]
        attr = Attribute("", head, "choice")
    else:
        values, attr = [], Attribute("", head, "boolean")
    out = []
    for t in dict.fromkeys(targets):
        builtin = _builtin(t)
        if builtin and head.casefold() in _BUILTIN_FIELDS:
            continue
        out.append(AttributeSpec(attr, builtin or t, n, frozenset({"name", "type"}),
                                 [ValueSpec(v.value, v.given) for v in values]))
    return out


def scheme_summary(kinds: list[KindSpec], attributes: list[AttributeSpec]) -> dict[str, Any]:
    return {"kinds": [k.kind.name for k in kinds],
            "attributes": [(a.kind, a.attribute.name) for a in attributes]}
