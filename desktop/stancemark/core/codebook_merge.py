"""Merging a colleague's codebook into mine (store merges and native JSONL imports).

Identity is the uid: a kind, attribute or value whose uid I do not have is added; one
I have with the same definition is nothing to do; one I have with another definition
(name, type, range, vocabulary flags, colour ...) is a conflict: mine is kept and the
conflict is reported, never silently overwritten. A value theirs adds to an attribute
I have is an addition, not a conflict. The same name under another uid (both sides
created "frame" on their own) cannot be merged by uid and is refused in one line:
share one codebook file first (`stancemark codebook export` / `import`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from stancemark.core.codebook import Attribute, Codebook, CodebookError, SpanKind, Value

_KIND_FIELDS = ("name", "description", "colour", "key")
_ATTRIBUTE_FIELDS = ("name", "type", "kind_uid", "description", "required", "default",
                     "multiple", "ordered", "minimum", "maximum")
_VALUE_FIELDS = ("name", "description", "colour", "key")


@dataclass
class CodebookMerge:
    """What merging their codebook into mine adds, and what conflicts (kept mine)."""

    kinds: list[SpanKind] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    values: list[tuple[str, Value]] = field(default_factory=list)  # (attribute uid, value)
    conflicts: list[str] = field(default_factory=list)

    @property
    def added(self) -> int:
        return len(self.kinds) + len(self.attributes) + len(self.values)


def _differs(mine: object, theirs: object, names: tuple[str, ...]) -> list[str]:
    return [f for f in names if getattr(mine, f) != getattr(theirs, f)]


def plan_merge(mine: Codebook, theirs: Codebook) -> CodebookMerge:
    """What to add to `mine` from `theirs`; CodebookError for a same-name clash."""
    plan = CodebookMerge()
    for k in theirs.kinds:
        have = mine.kind(k.uid)
        if have is None:
            clash = mine.kind_by_name(k.name)
            if clash is not None:
                raise CodebookError(
                    f"span kind {k.name!r} has uid {k.uid} there and {clash.uid} here; "
                    "share one codebook file (stancemark codebook export/import) before merging")
            plan.kinds.append(k)
            continue
        diff = _differs(have, k, _KIND_FIELDS)
        if diff:
            plan.conflicts.append(f"span kind {have.name!r} ({k.uid}): theirs differs in "
                                  f"{', '.join(diff)}; mine kept")
    for a in theirs.attributes:
        have_attr = mine.attribute(a.uid)
        if have_attr is None:
            clash_attr = mine.attribute_by_name(a.kind_uid, a.name)
            if clash_attr is not None and clash_attr.uid != a.uid:
                raise CodebookError(
                    f"attribute {a.name!r} has uid {a.uid} there and {clash_attr.uid} here; "
                    "share one codebook file (stancemark codebook export/import) before merging")
            plan.attributes.append(a)
            continue
        diff = _differs(have_attr, a, _ATTRIBUTE_FIELDS)
        if diff:
            plan.conflicts.append(f"attribute {have_attr.name!r} ({a.uid}): theirs differs in "
                                  f"{', '.join(diff)}; mine kept")
        for v in a.values:
            have_value = have_attr.value(v.uid)
            if have_value is None:
                named = have_attr.value_by_name(v.name)
                if named is not None:
                    raise CodebookError(
                        f"value {v.name!r} of {a.name!r} has uid {v.uid} there and {named.uid} "
                        "here; share one codebook file before merging")
                plan.values.append((a.uid, v))
            elif _differs(have_value, v, _VALUE_FIELDS):
                plan.conflicts.append(
                    f"value {have_value.name!r} of {have_attr.name!r} ({v.uid}): theirs differs "
                    f"in {', '.join(_differs(have_value, v, _VALUE_FIELDS))}; mine kept")
    # The result must be a valid codebook (a new kind's key may be one of mine: theirs
    # is added without the key, and that is reported).
    kinds = []
    keys = {k.key.casefold() for k in mine.kinds if k.key}
    for k in plan.kinds:
        if k.key and k.key.casefold() in keys:
            plan.conflicts.append(f"span kind {k.name!r}: key {k.key!r} is taken here; added "
                                  "without a key")
            k = replace(k, key="")
        keys.add(k.key.casefold())
        kinds.append(k)
    plan.kinds = kinds
    return plan
