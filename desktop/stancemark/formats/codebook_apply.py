"""Applying a codebook read from a file (ours, or a peer's scheme) to a store.

Every reader (formats.codebook_file for Stancemark's YAML, formats.codebook_schemes
for a Label Studio labeling config and a brat annotation.conf) produces the same
specs: kinds and attributes as core dataclasses, each with the line it came from and
the fields the file gave. `apply_specs` adds what the store lacks and updates what
the file changes, matching kinds by uid, else by name (case-insensitive), attributes
by uid, else by name within their kind, and vocabulary values likewise. Nothing is
ever removed by an import. The whole import is one transaction: the first problem is
raised as InputError naming file and line, and the store is left unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from stancemark.core.codebook import Attribute, Codebook, CodebookError, SpanKind, Value
from stancemark.core.errors import InputError, StancemarkError, existing
from stancemark.core.model import new_uid

if TYPE_CHECKING:
    from stancemark.store.repository import Repository


@dataclass
class KindSpec:
    kind: SpanKind  # uid "" when the file gives none
    line: int
    given: frozenset[str] = frozenset()  # the SpanKind fields the file set


@dataclass
class ValueSpec:
    value: Value
    given: frozenset[str] = frozenset()


@dataclass
class AttributeSpec:
    attribute: Attribute  # kind_uid unused: see kind
    kind: str | None  # the owning kind's name or uid; None: an article variable
    line: int
    given: frozenset[str] = frozenset()
    values: list[ValueSpec] = field(default_factory=list)
    default_names: Any = None  # a choice's default as value name(s), resolved on apply


@dataclass
class ApplyReport:
    kinds_added: int = 0
    kinds_updated: int = 0
    attributes_added: int = 0
    attributes_updated: int = 0
    values_added: int = 0
    values_updated: int = 0

    def summary(self, where: str) -> str:
        return (f"codebook from {where}: {self.kinds_added} span kind(s) added, "
                f"{self.kinds_updated} updated; {self.attributes_added} attribute(s) added, "
                f"{self.attributes_updated} updated; {self.values_added} value(s) added, "
                f"{self.values_updated} updated")


def apply_specs(repo: Repository, kinds: list[KindSpec], attributes: list[AttributeSpec],
                where: str) -> ApplyReport:
    """Apply the specs to the store in one transaction (see module docstring)."""
    report = ApplyReport()
    _refuse_repeats(kinds, attributes, where)
    current: KindSpec | AttributeSpec | None = None
    try:
        with repo.tx():
            for current in kinds:
                _apply_kind(repo, current, report)
            for current in attributes:
                _apply_attribute(repo, current, report)
    except StancemarkError as exc:
        if isinstance(exc, InputError):
            raise
        line = current.line if current is not None else None
        raise InputError(str(exc), where, line) from None
    return report


def _refuse_repeats(kinds: list[KindSpec], attributes: list[AttributeSpec], where: str) -> None:
    """A file that defines one kind (or one attribute of a kind) twice contradicts
    itself: matching by name would silently merge the two."""
    seen: dict[str, int] = {}
    for k in kinds:
        key = k.kind.uid or k.kind.name.strip().casefold()
        if k.given and key in seen:
            raise InputError(f"two span kinds are named {k.kind.name!r} (also line {seen[key]})",
                             where, k.line)
        seen.setdefault(key, k.line)
    names = {k.kind.uid or k.kind.name: k.kind.name.strip().casefold() for k in kinds}
    owned: dict[tuple[str | None, str], int] = {}
    for a in attributes:
        owner = names.get(a.kind, a.kind.casefold()) if a.kind is not None else None
        key2 = (owner, a.attribute.name.strip().casefold())
        if key2 in owned and owned[key2] != a.line:
            raise InputError(f"two attributes named {a.attribute.name!r} on one kind "
                             f"(also line {owned[key2]})", where, a.line)
        owned[key2] = a.line


def _find_kind(book: Codebook, spec_kind: SpanKind) -> SpanKind | None:
    """The store's kind for a spec: by uid, else by name (a name taken by another uid
    is a conflicting definition, refused)."""
    if spec_kind.uid and book.kind(spec_kind.uid) is not None:
        return book.kind(spec_kind.uid)
    found = book.kind_by_name(spec_kind.name)
    if found is not None and spec_kind.uid and found.uid != spec_kind.uid:
        raise CodebookError(f"span kind {spec_kind.name!r} has uid {found.uid} in this store, "
                            f"not {spec_kind.uid}")
    return found


def _apply_kind(repo: Repository, spec: KindSpec, report: ApplyReport) -> None:
    book = repo.codebook()
    found = _find_kind(book, spec.kind)
    if found is None:
        repo.add_kind(spec.kind)
        report.kinds_added += 1
        return
    changes = {f: getattr(spec.kind, f) for f in spec.given & {"name", "description", "colour", "key"}
               if getattr(spec.kind, f) != getattr(found, f)}
    if changes.get("colour", "x").upper() == (found.colour or "").upper():
        changes.pop("colour", None)
    if changes:
        repo.update_kind(found.uid, **changes)
        report.kinds_updated += 1


def _owner_uid(book: Codebook, spec: AttributeSpec) -> str | None:
    if spec.kind is None:
        return None
    kind = book.kind(spec.kind) or book.kind_by_name(spec.kind)
    if kind is None:
        raise CodebookError(f"attribute {spec.attribute.name!r}: unknown span kind {spec.kind!r}")
    return kind.uid


def _apply_attribute(repo: Repository, spec: AttributeSpec, report: ApplyReport) -> None:
    book = repo.codebook()
    owner = _owner_uid(book, spec)
    attr = replace(spec.attribute, kind_uid=owner)
    found = book.attribute(attr.uid) if attr.uid else None
    if found is None:
        found = book.attribute_by_name(owner, attr.name)
        if found is not None and attr.uid and found.uid != attr.uid:
            raise CodebookError(f"attribute {attr.name!r} has uid {found.uid} in this store, "
                                f"not {attr.uid}")
    if found is not None and found.kind_uid != owner:
        raise CodebookError(f"attribute {attr.name!r} (uid {found.uid}) belongs to another kind")
    if found is None:
        values = tuple(replace(v.value, uid=v.value.uid or new_uid()) for v in spec.values)
        new = replace(attr, values=values)
        new = replace(new, default=resolve_default(new, spec))
        repo.add_attribute(new)
        report.attributes_added += 1
        report.values_added += len(values)
        return
    if found.type != attr.type and "type" in spec.given:
        raise CodebookError(f"attribute {attr.name!r} is a {found.type} in this store, "
                            f"not a {attr.type}")
    for vs in spec.values:
        current = (found.value(vs.value.uid) if vs.value.uid else None) or \
            found.value_by_name(vs.value.name)
        if current is None:
            repo.add_value(found.uid, vs.value)
            report.values_added += 1
            continue
        changes = {f: getattr(vs.value, f) for f in vs.given & {"name", "description", "colour", "key"}
                   if getattr(vs.value, f) != getattr(current, f)}
        if changes:
            repo.update_value(current.uid, **changes)
            report.values_updated += 1
    found = existing(repo.codebook().attribute(found.uid), "attribute", found.uid)
    wanted = {f: getattr(attr, f) for f in spec.given & {
        "name", "description", "required", "multiple", "ordered", "minimum", "maximum"}}
    if "default" in spec.given:
        wanted["default"] = resolve_default(found, spec)
    changes = {f: v for f, v in wanted.items() if getattr(found, f) != v}
    if changes:
        repo.update_attribute(found.uid, **changes)
        report.attributes_updated += 1


def resolve_default(attr: Attribute, spec: AttributeSpec) -> Any:
    """The spec's default in stored form (choice defaults are given by value name)."""
    if attr.type != "choice" or spec.default_names is None:
        return spec.attribute.default if attr.type != "choice" else None
    names = spec.default_names if isinstance(spec.default_names, list) else [spec.default_names]
    uids = []
    for name in names:
        v = attr.value_by_name(str(name)) or attr.value(str(name))
        if v is None:
            raise CodebookError(f"attribute {attr.name!r}: default {name!r} is not in its vocabulary")
        uids.append(v.uid)
    return uids if attr.multiple else uids[0]
