"""The codebook in a REFI-QDA project (formats/refi_qda.py): codes for custom kinds and
choice values, project variables for article variables.

Code guids are fixed uuid5 values of the kind's uid ("kind:<uid>", as the built-in
kinds') and of the attribute's ("attribute:<uid>"); a value's code is its uid (a uuid).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import Any

from stancemark.core.codebook import Attribute, Codebook

# REFI-QDA's typeOfVariable for each attribute type (a choice as Text: its value names)
_VARIABLE_TYPES = {"boolean": "Boolean", "integer": "Integer", "number": "Float", "date": "Date"}
_DAY = 10  # "YYYY-MM-DD": only a day fits the schema's xsd:date


def codebook_codes(book: Codebook, kinds: ET.Element, codes: ET.Element,
                   code: Callable[..., ET.Element]) -> dict[str, str]:
    """Add a code per custom kind to the Kinds group and an "Attributes" group of choice
    attributes and their values to the code book; {kind uid: its code guid}."""
    from stancemark.formats.refi_qda import fixed_guid

    out = {}
    for k in book.custom_kinds():
        out[k.uid] = fixed_guid("kind:" + k.uid)
        c = code(kinds, out[k.uid], k.name)
        if k.colour:
            c.set("color", k.colour)
    choices = [a for a in book.attributes if a.type == "choice" and a.kind_uid is not None]
    if choices:
        group = code(codes, fixed_guid("group:Attributes"), "Attributes", False)
        for a in choices:
            sub = code(group, fixed_guid("attribute:" + a.uid),
                       f"{book.name(a.kind_uid or '')}: {a.name}", False)
            for v in a.values:
                c = code(sub, v.uid, v.name)
                if v.colour:
                    c.set("color", v.colour)
    return out


def value_codes(book: Codebook, values: Mapping[str, Any]) -> list[str]:
    """The value codes a selection is coded with: the chosen values of its choices."""
    out: list[str] = []
    for uid, value in values.items():
        a = book.attribute(uid)
        if a is not None and a.type == "choice":
            out += [v for v in (value if isinstance(value, list) else [value]) if a.value(v)]
    return out


def _variable_type(a: Attribute) -> str:
    return _VARIABLE_TYPES.get(a.type, "Text")


def project_variables(root: ET.Element, book: Codebook) -> None:
    """The project's <Variables>: one per article variable of the codebook."""
    from stancemark.formats.refi_qda import fixed_guid

    if not book.article_variables():
        return
    el = ET.SubElement(root, "Variables")
    for a in book.article_variables():
        v = ET.SubElement(el, "Variable", guid=fixed_guid("variable:" + a.uid), name=a.name,
                          typeOfVariable=_variable_type(a))
        if a.description:
            ET.SubElement(v, "Description").text = a.description


def source_variables(src: ET.Element, book: Codebook,
                     by_annotator: Mapping[str, Mapping[str, Any]]) -> None:
    """VariableValues of a text source, when exactly one annotator set variables there
    (the schema gives a value no user: several annotators' values travel only in the
    source's stancemark: line)."""
    from stancemark.formats.refi_qda import fixed_guid

    if len(by_annotator) != 1:
        return
    (values,) = by_annotator.values()
    for a in book.article_variables():
        if a.uid not in values:
            continue
        value = values[a.uid]
        kind = _variable_type(a)
        if kind == "Date" and len(str(value)) != _DAY:
            kind = "Text"  # a month, a year or an interval is no xsd:date
        vv = ET.SubElement(src, "VariableValue")
        ET.SubElement(vv, "VariableRef", targetGUID=fixed_guid("variable:" + a.uid))
        text = (("true" if value else "false") if kind == "Boolean"
                else str(value) if kind != "Text" else a.show(value))
        ET.SubElement(vv, f"{kind}Value").text = text
