"""The codebook side of a store merge: their codebook, their attribute values and their
article variables, checked like every other row of their file.

Runs inside store.merge's transaction with their file attached as `theirs`:
- merge_their_codebook before their annotations move (their kinds must exist here
  for the annotations' kind reference): read, checked as a whole (Codebook.check:
  types, names, ranges, defaults, limits), then merged by uid
  (core/codebook_merge.py: additions added, conflicts reported, mine kept);
- check_added_attributes after: every added annotation's values fit my codebook;
- merge_their_variables: article variables per (article, annotator), the later
  edit wins except on my own, values checked against my codebook.
A store older than the codebook has none of these: nothing to do.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from stancemark.core.attribute_values import values_json
from stancemark.core.codebook import Attribute, Codebook, CodebookError, SpanKind, Value
from stancemark.core.errors import InputError, IntegrityError

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

NOTHING = "nothing was merged"


def merge_their_codebook(repo: Repository, their_tables: set[str], where: str) -> tuple[int, list[str]]:
    """(entries added, conflicts reported)."""
    if "codebook_kinds" not in their_tables:
        return 0, []
    from stancemark.store.codebook_store import codebook_rows

    try:
        theirs = _with_mine(repo.codebook(), *codebook_rows(repo.conn, "theirs"))
        plan = repo.merge_codebook(theirs)
    except (CodebookError, ValueError, TypeError) as exc:
        raise InputError(f"their codebook: {exc}; {NOTHING}", where) from None
    return plan.added, plan.conflicts


def _with_mine(mine: Codebook, kinds: list[SpanKind], attrs: list[Attribute],
               orphans: dict[str, list[Value]]) -> Codebook:
    """Their codebook rows completed with mine, checked as a whole. A store holds its
    whole codebook, but a hub pull lays out only the rows that changed: a kind, an
    attribute or a value they did not send is taken as mine (a value whose attribute
    is nowhere, or an attribute of a kind that is nowhere, is refused by the check)."""
    their_kinds = {k.uid for k in kinds}
    their_attrs = {a.uid for a in attrs}
    # Mine that clash by name with theirs stay out, so that the merge names the clash.
    names = {k.name.casefold() for k in kinds}
    clashing = {k.uid for k in mine.kinds if k.uid not in their_kinds and k.name.casefold() in names}
    all_kinds = [*kinds, *(k for k in mine.kinds
                           if k.uid not in their_kinds and k.uid not in clashing)]
    merged_attrs = []
    for a in attrs:
        have = mine.attribute(a.uid)
        if have is not None:  # their vocabulary completed with mine's (new ones added)
            known = {v.uid for v in a.values}
            a = replace(a, values=(*a.values, *(v for v in have.values if v.uid not in known)))
        merged_attrs.append(a)
    owned = {(a.kind_uid, a.name.casefold()) for a in attrs}
    for a in mine.attributes:
        if a.uid not in their_attrs and a.kind_uid not in clashing \
                and (a.kind_uid, a.name.casefold()) not in owned:
            known = {v.uid for v in a.values}
            extra = [v for v in orphans.pop(a.uid, []) if v.uid not in known]
            merged_attrs.append(replace(a, values=(*a.values, *extra)) if extra else a)
    if orphans:
        uid = next(iter(orphans))
        raise CodebookError(f"value {orphans[uid][0].name!r} belongs to no attribute ({uid})")
    return Codebook.of(all_kinds, merged_attrs)


def their_attributes_column(repo: Repository, alias: str = "t") -> str:
    """Their annotations' attribute values; '{}' from a store older than the codebook."""
    have = {r[0] for r in repo.conn.execute(
        "SELECT name FROM pragma_table_info('annotations', 'theirs')")}
    return f"{alias}.attributes" if "attributes" in have else "'{}'"


def check_added_attributes(repo: Repository, after_id: int, where: str) -> None:
    """Attribute values of the annotations a merge added, checked against my codebook
    (as Repository.add_annotation would) and stored in canonical form."""
    book = repo.codebook()
    for uid, kind, values in repo.conn.execute(
            "SELECT uid, kind, attributes FROM annotations WHERE id > ? AND attributes != '{}'",
            [after_id]).fetchall():
        try:
            parsed = json.loads(values)
            stored = book.check_attributes(kind, parsed)
            if stored != parsed:
                raise CodebookError(f"attribute values {values[:80]} are not in stored form")
            repo.check_references(book, stored)
        except (CodebookError, IntegrityError, ValueError, AttributeError) as exc:
            raise InputError(f"annotation {uid}: {exc}; {NOTHING}", where) from None
        canonical = values_json(stored)
        if canonical != values:
            repo.conn.execute("UPDATE annotations SET attributes = ? WHERE uid = ?", [canonical, uid])


def merge_their_variables(repo: Repository, their_tables: set[str], where: str) -> int:
    """Their article variables for articles both stores now hold; returns rows written."""
    if "article_variables" not in their_tables:
        return 0
    book = repo.codebook()
    me = repo.annotator.uid
    written = 0
    rows = repo.conn.execute(
        'SELECT ma.mine_id, mn.mine_id, n.uid, t."values", t.updated_at, ar.uid '
        "FROM theirs.article_variables t "
        "JOIN temp.merge_articles ma ON ma.their_id = t.article_id "
        "JOIN temp.merge_annotators mn ON mn.their_id = t.annotator_id "
        "JOIN annotators n ON n.id = mn.mine_id JOIN articles ar ON ar.id = ma.mine_id").fetchall()
    for art_id, ann_id, ann_uid, values, updated_at, art_uid in rows:
        try:
            parsed: Any = json.loads(values)
            if not isinstance(parsed, dict) or not isinstance(updated_at, str):
                raise CodebookError("variables are not a JSON object with a time")
            stored = book.check_variables(parsed)
            repo.check_references(book, stored)
        except (CodebookError, IntegrityError, ValueError, TypeError) as exc:
            raise InputError(f"article variables of {art_uid}: {exc}; {NOTHING}", where) from None
        mine = repo.conn.execute(
            "SELECT updated_at FROM article_variables WHERE article_id = ? AND annotator_id = ?",
            [art_id, ann_id]).fetchone()
        if mine is not None and (ann_uid == me or mine[0] >= updated_at):
            continue
        repo.conn.execute(
            'INSERT INTO article_variables (article_id, annotator_id, "values", updated_at) '
            "VALUES (?,?,?,?) ON CONFLICT (article_id, annotator_id) DO UPDATE SET "
            '"values" = excluded."values", updated_at = excluded.updated_at',
            [art_id, ann_id, values_json(stored), updated_at])
        repo.audit("merge-update", "article_variables", art_uid, None,
                    {"annotator_uid": ann_uid, "values": stored})
        written += 1
    return written
