"""The codebook in the store: reading it, editing it, and attribute values.

Mixed into Repository (store.repository); the methods are Repository methods. Every
edit is one transaction with one audit entry (entity "codebook_kind",
"codebook_attribute", "codebook_value" or "article_variables"), checked first by
building the edited Codebook in memory (Codebook.check), so a contradiction is
refused in one line with the store unchanged. The core commands in
core/codebook_commands.py wrap these for undo (same uid back on redo).

Changing the codebook after coding never loses a value silently: a renamed value
relabels every use (uses hold its uid); removing a value or an attribute in use is
refused unless a replacement is given (or, for an attribute, `discard=True` says so
explicitly); narrowing a range or turning a multiple choice single is refused while a
stored value would no longer fit.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from stancemark.core.attribute_values import values_json
from stancemark.core.builtin_kinds import BUILTIN_KINDS
from stancemark.core.codebook import Attribute, Codebook, CodebookError, SpanKind, Value
from stancemark.core.codebook_commands import CodebookRemoval
from stancemark.core.codebook_merge import CodebookMerge
from stancemark.core.errors import IntegrityError, existing
from stancemark.core.model import Annotator, new_uid, now_iso

KIND_FIELDS = ("name", "description", "colour", "key")
ATTRIBUTE_FIELDS = ("name", "description", "required", "default", "multiple", "ordered",
                    "minimum", "maximum", "type")
VALUE_FIELDS = ("name", "description", "colour", "key")


def _dump(value: Any) -> str:
    return values_json(value)


def _bound(x: Any, integer: bool) -> Any:
    if x is None:
        return None
    return int(x) if integer and float(x).is_integer() else x


class CodebookMixin:
    """Codebook reads and edits, attribute values and article variables."""

    conn: sqlite3.Connection  # set by Repository.__init__
    _codebook_cache: tuple[str | None, Codebook] | None = None

    if TYPE_CHECKING:  # Repository's plumbing, declared so the calls below are checked
        _annotator: Annotator

        def tx(self) -> AbstractContextManager[None]: ...
        def _id(self, table: str, uid: str | None, what: str) -> int | None: ...
        def audit(self, action: str, entity: str, uid: str, before: Any = None,
                  after: Any = None) -> None: ...

    # ------------------------------------------------------------------ reading
    def codebook(self) -> Codebook:
        """The store's codebook (cached; any write to its tables, from this process
        or another, bumps store_info.codebook_version and the cache reloads)."""
        row = self.conn.execute(
            "SELECT value FROM store_info WHERE key = 'codebook_version'").fetchone()
        return self._codebook_at(row[0] if row else None)

    def _codebook_at(self, version: str | None) -> Codebook:
        """The codebook at this codebook_version (read by the caller, e.g. with the
        article a tag points into, so a tag costs no extra statement); None: a store
        without codebook tables (before migration m007), the built-in kinds."""
        cached = self._codebook_cache
        if cached is not None and cached[0] == version:
            return cached[1]
        book = load_codebook(self.conn) if version is not None else Codebook(BUILTIN_KINDS)
        self._codebook_cache = (version, book)
        return book

    # `where` is a fixed fragment ("1", "kind_uid = ?", ...): every caller passes a literal.
    def _position(self, table: str, where: str, params: list[Any]) -> int:
        return self.conn.execute(
            f"SELECT coalesce(max(position) + 1, 0) FROM {table} WHERE {where}",  # noqa: S608 - fixed names
            params).fetchone()[0]

    def _reorder(self, table: str, where: str, params: list[Any], uid: str,
                 position: int) -> None:
        uids = [r[0] for r in self.conn.execute(
            f"SELECT uid FROM {table} WHERE {where} ORDER BY position, id", params)]  # noqa: S608
        uids.remove(uid)
        uids.insert(max(0, min(position, len(uids))), uid)
        for i, u in enumerate(uids):
            self.conn.execute(f"UPDATE {table} SET position = ? WHERE uid = ?", [i, u])  # noqa: S608

    # ---------------------------------------------------------------- span kinds
    def add_kind(self, kind: SpanKind, position: int | None = None) -> SpanKind:
        """Add a custom span kind; an empty `kind.uid` gets a new one (redo passes the
        first uid back). `position` in the kinds' order (None: last). Refused (one
        line, nothing written) when the name or key is taken or a field is bad."""
        kind = replace(kind, uid=kind.uid or new_uid(), builtin=False,
                       name=kind.name.strip() if isinstance(kind.name, str) else kind.name)
        book = self.codebook().adding(kinds=[kind])
        kind = book.kind(kind.uid) or kind
        stamp = now_iso()
        with self.tx():
            self.conn.execute(
                "INSERT INTO codebook_kinds (uid, name, description, colour, hotkey, builtin, "
                "position, created_at, updated_at) VALUES (?,?,?,?,?,0,?,?,?)",
                [kind.uid, kind.name, kind.description, kind.colour.upper(), kind.key,
                 self._position("codebook_kinds", "1", []), stamp, stamp])
            if position is not None:
                self._reorder("codebook_kinds", "1", [], kind.uid, position)
            self.audit("create", "codebook_kind", kind.uid, None, kind)
        return existing(self.codebook().kind(kind.uid), "span kind", kind.uid)

    def update_kind(self, uid: str, **changes: Any) -> SpanKind:
        """Change a kind's name, description, colour or key (built-in kinds too), or
        its `position` in the kinds' order. Uses follow: they hold the uid."""
        book = self.codebook()
        before = book.kind(uid)
        if before is None:
            raise IntegrityError(f"unknown span kind {uid}")
        position = changes.pop("position", None)
        bad = set(changes) - set(KIND_FIELDS)
        if bad:
            raise IntegrityError(f"cannot change span kind field(s) {', '.join(sorted(bad))}")
        after = replace(before, **changes)
        if isinstance(after.name, str):
            after = replace(after, name=after.name.strip())
        book.replace_kind(after)  # checks names, keys, colours
        with self.tx():
            self.conn.execute(
                "UPDATE codebook_kinds SET name = ?, description = ?, colour = ?, hotkey = ?, "
                "updated_at = ? WHERE uid = ?",
                [after.name, after.description, (after.colour or "").upper(), after.key,
                 now_iso(), uid])
            if position is not None:
                self._reorder("codebook_kinds", "1", [], uid, position)
            self.audit("update", "codebook_kind", uid, before,
                        {**_asdict(after), **({"position": position} if position is not None else {})})
        return existing(self.codebook().kind(uid), "span kind", uid)

    def kind_use_count(self, uid: str) -> int:
        """Annotations (live or in the trash) and review decisions of this kind."""
        return self.conn.execute(
            "SELECT (SELECT count(*) FROM annotations WHERE kind = ?) "
            "+ (SELECT count(*) FROM review_decisions WHERE kind = ?)", [uid, uid]).fetchone()[0]

    def remove_kind(self, uid: str) -> CodebookRemoval:
        """Remove a custom span kind and its attributes. Refused for a built-in kind
        and for a kind any annotation (trash included) or review decision uses.
        Returns what was removed, for `restore_removed` (undo)."""
        book = self.codebook()
        kind = book.kind(uid)
        if kind is None:
            raise IntegrityError(f"unknown span kind {uid}")
        if kind.builtin:
            raise IntegrityError(f"span kind {kind.name!r} is built in and cannot be removed")
        used = self.kind_use_count(uid)
        if used:
            raise IntegrityError(f"span kind {kind.name!r} is used by {used} annotation(s) or "
                                 "review decision(s); remove those first")
        record = CodebookRemoval(
            kinds=((book.kinds.index(kind), kind),),
            attributes=tuple((i, a) for i, a in enumerate(book.attributes_of(uid))))
        with self.tx():
            self.conn.execute("DELETE FROM codebook_attributes WHERE kind_uid = ?", [uid])
            self.conn.execute("DELETE FROM codebook_kinds WHERE uid = ?", [uid])
            self.audit("delete", "codebook_kind", uid, kind,
                        {"attributes": [a.uid for _, a in record.attributes]})
        return record

    # ---------------------------------------------------------------- attributes
    def add_attribute(self, attribute: Attribute, position: int | None = None) -> Attribute:
        """Add an attribute to span kind `attribute.kind_uid`, or an article variable
        (kind_uid None), with its vocabulary. Empty uids (the attribute's, its values')
        get new ones. `position` among its kind's attributes (None: last)."""
        attribute = replace(attribute, uid=attribute.uid or new_uid(), values=tuple(
            replace(v, uid=v.uid or new_uid()) for v in attribute.values))
        self.codebook().adding(attributes=[attribute])
        with self.tx():
            self._insert_attribute(attribute, position)
            self.audit("create", "codebook_attribute", attribute.uid, None, attribute)
        return existing(self.codebook().attribute(attribute.uid), "attribute", attribute.uid)

    def _owner(self, kind_uid: str | None) -> tuple[str, list[Any]]:
        return ("kind_uid IS NULL", []) if kind_uid is None else ("kind_uid = ?", [kind_uid])

    def _insert_attribute(self, a: Attribute, position: int | None) -> None:
        owner, params = self._owner(a.kind_uid)
        stamp = now_iso()
        self.conn.execute(
            "INSERT INTO codebook_attributes (uid, kind_uid, name, type, description, required, "
            "default_value, multiple, ordered, minimum, maximum, position, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [a.uid, a.kind_uid, a.name.strip(), a.type, a.description, int(a.required),
             None if a.default is None else _dump(a.default), int(a.multiple), int(a.ordered),
             a.minimum, a.maximum, self._position("codebook_attributes", owner, params),
             stamp, stamp])
        if position is not None:
            self._reorder("codebook_attributes", owner, params, a.uid, position)
        for i, v in enumerate(a.values):
            self._insert_value(a.uid, v, i)

    def _insert_value(self, attribute_uid: str, v: Value, position: int) -> None:
        self.conn.execute(
            "UPDATE codebook_values SET position = position + 1 "
            "WHERE attribute_uid = ? AND position >= ?", [attribute_uid, position])
        self.conn.execute(
            "INSERT INTO codebook_values (uid, attribute_uid, name, description, colour, hotkey, "
            "position) VALUES (?,?,?,?,?,?,?)",
            [v.uid, attribute_uid, v.name.strip(), v.description, (v.colour or "").upper(),
             v.key, position])

    def update_attribute(self, uid: str, **changes: Any) -> Attribute:
        """Change an attribute's name, description, required, default, multiple,
        ordered, minimum, maximum, type, or its `position` among its kind's attributes.
        Refused while a stored value would not fit the changed definition (the message
        counts them); its vocabulary changes through add_value / update_value /
        remove_value."""
        book = self.codebook()
        before = book.attribute(uid)
        if before is None:
            raise IntegrityError(f"unknown attribute {uid}")
        position = changes.pop("position", None)
        bad = set(changes) - set(ATTRIBUTE_FIELDS)
        if bad:
            raise IntegrityError(f"cannot change attribute field(s) {', '.join(sorted(bad))}")
        after = replace(before, **changes)
        if after.type != "choice" and before.type == "choice":
            after = replace(after, values=(), multiple=False, ordered=False)
        Codebook.of(book.kinds, [after if a.uid == uid else a for a in book.attributes])
        misfits = [u for u, value in self._uses(before) if _misfit(after, value)]
        if misfits:
            raise IntegrityError(f"{len(misfits)} stored value(s) of {before.name!r} would not fit "
                                 f"the change (e.g. on {misfits[0]}); change those values first")
        with self.tx():
            self.conn.execute(
                "UPDATE codebook_attributes SET name = ?, type = ?, description = ?, required = ?, "
                "default_value = ?, multiple = ?, ordered = ?, minimum = ?, maximum = ?, "
                "updated_at = ? WHERE uid = ?",
                [after.name.strip(), after.type, after.description, int(after.required),
                 None if after.default is None else _dump(after.default), int(after.multiple),
                 int(after.ordered), after.minimum, after.maximum, now_iso(), uid])
            if not after.values and before.values:
                self.conn.execute("DELETE FROM codebook_values WHERE attribute_uid = ?", [uid])
            if position is not None:
                owner, params = self._owner(before.kind_uid)
                self._reorder("codebook_attributes", owner, params, uid, position)
            self.audit("update", "codebook_attribute", uid, before, after)
        return existing(self.codebook().attribute(uid), "attribute", uid)

    def _uses(self, attr: Attribute) -> Iterator[tuple[str, Any]]:
        """(annotation uid or "article uid/annotator uid", stored value) of every use of
        `attr`, trash included."""
        if attr.kind_uid is not None:
            rows = self.conn.execute(
                "SELECT an.uid, j.value, j.type FROM annotations an, json_each(an.attributes) j "
                "WHERE an.kind = ? AND an.attributes != '{}' AND j.key = ?", [attr.kind_uid, attr.uid])
        else:
            rows = self.conn.execute(
                "SELECT ar.uid || '/' || n.uid, j.value, j.type FROM article_variables v "
                "JOIN articles ar ON ar.id = v.article_id JOIN annotators n ON n.id = v.annotator_id, "
                "json_each(v.\"values\") j WHERE j.key = ?", [attr.uid])
        for uid, value, jtype in rows:
            yield uid, _json_value(value, jtype)

    def remove_attribute(self, uid: str, *, replacement: str | None = None,
                         discard: bool = False) -> CodebookRemoval:
        """Remove an attribute (or article variable). In use, it is refused unless
        `replacement` names another attribute of the same kind and type that takes
        the values over (choices matched by value name; refused if one has no match or
        the replacement is already set there), or `discard=True` drops the values
        explicitly. Returns the record for restore_removed (undo)."""
        from stancemark.store.codebook_edits import remove_attribute

        return remove_attribute(self, uid, replacement=replacement, discard=discard)

    # -------------------------------------------------------------------- values
    def add_value(self, attribute_uid: str, value: Value, position: int | None = None) -> Value:
        """Add a vocabulary value to a choice attribute (empty uid: a new one)."""
        book = self.codebook()
        attr = book.attribute(attribute_uid)
        if attr is None:
            raise IntegrityError(f"unknown attribute {attribute_uid}")
        value = replace(value, uid=value.uid or new_uid(), name=value.name.strip()
                        if isinstance(value.name, str) else value.name)
        at = len(attr.values) if position is None else max(0, min(position, len(attr.values)))
        values = list(attr.values)
        values.insert(at, value)
        Codebook.of(book.kinds, [replace(a, values=tuple(values)) if a.uid == attribute_uid else a
                                 for a in book.attributes])
        with self.tx():
            self._insert_value(attribute_uid, value, at)
            self.audit("create", "codebook_value", value.uid, None,
                        {"attribute_uid": attribute_uid, **_asdict(value), "position": at})
        return value

    def update_value(self, uid: str, **changes: Any) -> Value:
        """Rename, describe, recolour or re-key a vocabulary value, or move it
        (`position`). A rename relabels every use at once (uses hold the uid)."""
        book = self.codebook()
        attr, before = self.codebook_value(uid)
        position = changes.pop("position", None)
        bad = set(changes) - set(VALUE_FIELDS)
        if bad:
            raise IntegrityError(f"cannot change value field(s) {', '.join(sorted(bad))}")
        after = replace(before, **changes)
        if isinstance(after.name, str):
            after = replace(after, name=after.name.strip())
        values = [after if v.uid == uid else v for v in attr.values]
        Codebook.of(book.kinds, [replace(a, values=tuple(values)) if a.uid == attr.uid else a
                                 for a in book.attributes])
        with self.tx():
            self.conn.execute(
                "UPDATE codebook_values SET name = ?, description = ?, colour = ?, hotkey = ? "
                "WHERE uid = ?", [after.name, after.description, (after.colour or "").upper(),
                                  after.key, uid])
            if position is not None:
                self._reorder("codebook_values", "attribute_uid = ?", [attr.uid], uid, position)
                self.conn.execute("UPDATE codebook_attributes SET updated_at = ? WHERE uid = ?",
                                  [now_iso(), attr.uid])
            self.audit("update", "codebook_value", uid, before,
                        {**_asdict(after), **({"position": position} if position is not None else {})})
        return after

    def codebook_value(self, uid: str) -> tuple[Attribute, Value]:
        """The vocabulary value with this uid and its attribute; IntegrityError if none."""
        for a in self.codebook().attributes:
            v = a.value(uid)
            if v is not None:
                return a, v
        raise IntegrityError(f"unknown vocabulary value {uid}")

    def remove_value(self, uid: str, *, replacement: str | None = None) -> CodebookRemoval:
        """Remove a vocabulary value. In use (annotations, trash included, article
        variables, or the attribute's default) it is refused unless `replacement`
        names another value of the same attribute, which then takes every use (merging
        two values). Returns the record for restore_removed (undo)."""
        from stancemark.store.codebook_edits import remove_value

        return remove_value(self, uid, replacement=replacement)

    def merge_values(self, keep_uid: str, drop_uid: str) -> CodebookRemoval:
        """Merge value `drop_uid` into `keep_uid` (same attribute): every use moves."""
        return self.remove_value(drop_uid, replacement=keep_uid)

    def restore_removed(self, record: CodebookRemoval) -> None:
        """Undo of a removal: the kinds, attributes and values come back with their
        uids and places, and every value the removal changed is put back."""
        from stancemark.store.codebook_edits import RowKey, write_rows

        with self.tx():
            for position, kind in record.kinds:
                stamp = now_iso()
                self.conn.execute(
                    "INSERT INTO codebook_kinds (uid, name, description, colour, hotkey, builtin, "
                    "position, created_at, updated_at) VALUES (?,?,?,?,?,0,?,?,?)",
                    [kind.uid, kind.name, kind.description, kind.colour, kind.key, 0, stamp, stamp])
                self._reorder("codebook_kinds", "1", [], kind.uid, position)
                self.audit("restore", "codebook_kind", kind.uid, None, kind)
            for position, attr in record.attributes:
                self._insert_attribute(attr, position)
                self.audit("restore", "codebook_attribute", attr.uid, None, attr)
            for attribute_uid, position, value in record.values:
                self._insert_value(attribute_uid, value, position)
                self.audit("restore", "codebook_value", value.uid, None,
                           {"attribute_uid": attribute_uid, "name": value.name})
            for attribute_uid, default in record.defaults:
                self.conn.execute("UPDATE codebook_attributes SET default_value = ? WHERE uid = ?",
                                  [None if default is None else _dump(default), attribute_uid])
            rows: list[tuple[RowKey, dict[str, Any]]] = list(record.annotations)
            rows += [((art, ann), values) for art, ann, values in record.variables]
            write_rows(self, rows, "removal undone")

    def merge_codebook(self, theirs: Codebook) -> CodebookMerge:
        """Add what `theirs` has that this codebook lacks, by uid (kinds, attributes,
        values), in one audited transaction; a definition that differs under the same
        uid is kept as mine and listed in the result's `conflicts`. CodebookError when
        the same name has another uid on each side (core/codebook_merge.py)."""
        from stancemark.core.codebook_merge import plan_merge

        plan = plan_merge(self.codebook(), theirs)
        if plan.added:
            with self.tx():
                for k in plan.kinds:
                    self.add_kind(k)
                for a in plan.attributes:
                    self.add_attribute(a)
                for attribute_uid, v in plan.values:
                    self.add_value(attribute_uid, v)
        return plan

    # ------------------------------------------------------- article variables
    def article_variables(self, article_uid: str, annotator_uid: str | None = None) -> dict[str, Any]:
        """The variables one annotator (default: the current one) set on an article,
        {attribute uid: stored value}; unset ones are absent."""
        row = self.conn.execute(
            'SELECT v."values" FROM article_variables v JOIN articles ar ON ar.id = v.article_id '
            "JOIN annotators n ON n.id = v.annotator_id WHERE ar.uid = ? AND n.uid = ?",
            [article_uid, annotator_uid or self._annotator.uid]).fetchone()
        return json.loads(row[0]) if row else {}

    def set_article_variables(self, article_uid: str, values: dict[str, Any],
                              annotator_uid: str | None = None) -> dict[str, Any]:
        """Replace an article's variables for one annotator (default: the current one)
        with `values` ({variable uid: value}; None or absent: unset). Checked against
        the codebook; one transaction, audited. Returns the stored values."""
        book = self.codebook()
        try:
            stored = book.check_variables({k: v for k, v in values.items() if v is not None})
        except CodebookError as exc:
            raise IntegrityError(str(exc)) from None
        self.check_references(book, stored)
        annotator_uid = annotator_uid or self._annotator.uid
        art_id = self._id("articles", article_uid, "article")
        ann_id = self._id("annotators", annotator_uid, "annotator")
        before = self.article_variables(article_uid, annotator_uid)
        with self.tx():
            if stored:
                self.conn.execute(
                    'INSERT INTO article_variables (article_id, annotator_id, "values", updated_at) '
                    "VALUES (?,?,?,?) ON CONFLICT (article_id, annotator_id) DO UPDATE SET "
                    '"values" = excluded."values", updated_at = excluded.updated_at',
                    [art_id, ann_id, _dump(stored), now_iso()])
            else:
                self.conn.execute("DELETE FROM article_variables WHERE article_id = ? "
                                  "AND annotator_id = ?", [art_id, ann_id])
            self.audit("update", "article_variables", article_uid,
                        {"annotator_uid": annotator_uid, "values": before},
                        {"annotator_uid": annotator_uid, "values": stored})
        return stored

    def iter_article_variables(self) -> Iterator[tuple[str, str, dict[str, Any], str]]:
        """Every (article uid, annotator uid, values, updated_at), for exports."""
        for art, ann, values, at in self.conn.execute(
                'SELECT ar.uid, n.uid, v."values", v.updated_at FROM article_variables v '
                "JOIN articles ar ON ar.id = v.article_id JOIN annotators n ON n.id = v.annotator_id "
                "ORDER BY v.article_id, v.annotator_id"):
            yield art, ann, json.loads(values), at

    def attribute_value_rows(self, annotator_uids: list[str]) -> list[tuple[Any, ...]]:
        """(article id, annotator uid, kind uid, start, end, attribute uid, stored value)
        of every attribute value on the live spans of live articles of these annotators,
        for agreement (core.attribute_agreement); SQLite's json_each reads the JSON."""
        if not annotator_uids:
            return []
        marks = ",".join("?" * len(annotator_uids))
        rows = self.conn.execute(
            'SELECT an.article_id, n.uid, an.kind, an.start, an."end", j.key, j.value, j.type '  # noqa: S608
            "FROM annotations an JOIN annotators n ON n.id = an.annotator_id "
            "JOIN articles ar ON ar.id = an.article_id, json_each(an.attributes) j "
            "WHERE an.deleted_at IS NULL AND ar.deleted_at IS NULL AND an.attributes != '{}' "
            f"AND n.uid IN ({marks})", annotator_uids)
        return [(*r[:6], _json_value(r[6], r[7])) for r in rows]

    def variable_value_rows(self, annotator_uids: list[str]) -> list[tuple[Any, ...]]:
        """(article id, annotator uid, variable uid, stored value) of live articles."""
        if not annotator_uids:
            return []
        marks = ",".join("?" * len(annotator_uids))
        rows = self.conn.execute(
            'SELECT v.article_id, n.uid, j.key, j.value, j.type FROM article_variables v '  # noqa: S608
            "JOIN annotators n ON n.id = v.annotator_id JOIN articles ar ON ar.id = v.article_id, "
            'json_each(v."values") j WHERE ar.deleted_at IS NULL '
            f"AND n.uid IN ({marks})", annotator_uids)
        return [(*r[:3], _json_value(r[3], r[4])) for r in rows]

    def check_references(self, book: Codebook, values: dict[str, Any]) -> None:
        """Refuse (IntegrityError) an actor or topic reference in attribute values that
        names no entry of the register."""
        for uid, value in values.items():
            attr = book.attribute(uid)
            if attr is not None and attr.type in ("actor", "topic"):
                table = "actors" if attr.type == "actor" else "topics"
                if self.conn.execute(f"SELECT 1 FROM {table} WHERE uid = ?", [value]).fetchone() is None:  # noqa: S608
                    raise IntegrityError(f"attribute {attr.name!r}: unknown {attr.type} {value}")


def _asdict(x: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(x)


def _json_value(value: Any, jtype: str) -> Any:
    """json_each hands back arrays and objects as JSON text, true/false as 1/0."""
    if jtype in ("array", "object"):
        return json.loads(value)
    if jtype == "true":
        return True
    if jtype == "false":
        return False
    return value


def _misfit(attr: Attribute, value: Any) -> bool:
    try:
        return attr.check(value) != value
    except CodebookError:
        return True


def load_codebook(conn: sqlite3.Connection, schema: str = "main") -> Codebook:
    """Read the codebook tables (kinds, attributes, values in their orders) of `schema`
    (an attached colleague's store: "theirs"); not checked (Codebook.check does that)."""
    kinds, attrs, _orphans = codebook_rows(conn, schema)
    return Codebook(tuple(kinds), tuple(attrs))


def codebook_rows(conn: sqlite3.Connection, schema: str = "main"
                  ) -> tuple[list[SpanKind], list[Attribute], dict[str, list[Value]]]:
    """The codebook tables' rows: kinds, attributes with their values, and values whose
    attribute has no row there (a hub pull lays out only what changed), by attribute uid."""
    if schema not in ("main", "theirs"):  # interpolated below: only these two
        raise ValueError(f"unknown schema {schema!r}")
    kinds = [SpanKind(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in conn.execute(
        f"SELECT uid, name, description, colour, hotkey, builtin FROM {schema}.codebook_kinds "  # noqa: S608
        "ORDER BY position, id")]
    order = {k.uid: i for i, k in enumerate(kinds)}
    values: dict[str, list[Value]] = {}
    for r in conn.execute(f"SELECT attribute_uid, uid, name, description, colour, hotkey "  # noqa: S608
                          f"FROM {schema}.codebook_values ORDER BY position, id"):
        values.setdefault(r[0], []).append(Value(*r[1:]))
    attrs = []
    for r in conn.execute(
            f"SELECT uid, name, type, kind_uid, description, required, default_value, multiple, "  # noqa: S608
            f"ordered, minimum, maximum FROM {schema}.codebook_attributes ORDER BY position, id"):
        integer = r[2] == "integer"
        attrs.append(Attribute(r[0], r[1], r[2], r[3], r[4], bool(r[5]),
                               None if r[6] is None else json.loads(r[6]), bool(r[7]),
                               bool(r[8]), _bound(r[9], integer), _bound(r[10], integer),
                               tuple(values.pop(r[0], ()))))
    attrs.sort(key=lambda a: order.get(a.kind_uid, len(order)) if a.kind_uid else len(order))
    return kinds, attrs, values
