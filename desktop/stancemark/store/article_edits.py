"""Editing an article's metadata (Repository mixin): title, date, source, URL, author and
language, one transaction and one audit entry each. The text is immutable once stored
(a trigger refuses it), so only these columns are ever updated here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stancemark.core.article_commands import article_field_problem
from stancemark.core.errors import IntegrityError, existing
from stancemark.core.model import Article

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable
    from contextlib import AbstractContextManager


class ArticleEditsMixin:
    conn: sqlite3.Connection

    if TYPE_CHECKING:
        def tx(self) -> AbstractContextManager[None]: ...
        def get_article(self, uid: str) -> Article | None: ...
        def audit(self, action: str, entity: str, uid: str, before: Any = None,
                  after: Any = None) -> None: ...

    def find_article(self, ref: str) -> Article:
        """The article (live or in the trash) whose uid is `ref` or starts with it (at
        least 4 characters, as `stancemark list` shows them); one-line error otherwise."""
        ref = ref.strip()
        exact = self.get_article(ref)
        if exact is not None:
            return exact
        if len(ref) < 4 or any(c in ref for c in "%_"):
            raise IntegrityError(f"no article {ref!r} (give its uid, or 4+ first characters)")
        rows = self.conn.execute("SELECT uid FROM articles WHERE uid LIKE ? LIMIT 2",
                                 [ref + "%"]).fetchall()
        if len(rows) != 1:
            raise IntegrityError(f"no article {ref!r}" if not rows else
                                 f"{ref!r} starts more than one article's uid; give more of it")
        return existing(self.get_article(rows[0][0]), "article", ref)

    def update_article(self, uid: str, **changes: Any) -> Article:
        """Change editable fields of a live or trashed article; refuses a bad value in one
        line and changes nothing."""
        for name, value in changes.items():
            problem = article_field_problem(name, value)
            if problem:
                raise IntegrityError(problem)
        before = existing(self.get_article(uid), "article", uid)
        if not changes:
            return before
        with self.tx():
            sets = ", ".join(f"{k} = ?" for k in changes)  # names checked above
            self.conn.execute(f"UPDATE articles SET {sets} WHERE uid = ?",  # noqa: S608
                              [*changes.values(), uid])
            after = existing(self.get_article(uid), "article", uid)
            self.audit("update", "article", uid, _fields(before, changes),
                        _fields(after, changes))
        return after


def _fields(article: Article, names: Iterable[str]) -> dict[str, Any]:
    return {k: getattr(article, k) for k in names}
