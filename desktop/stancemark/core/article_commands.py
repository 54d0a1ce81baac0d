"""Article edits as undoable commands: title, date, source, URL and language; move to
the trash and back; an annotator's status. Like core.commands, each apply/revert calls
the repository (core.protocols.ArticleRepo) in one transaction with its audit entry and
returns a Change naming the article; the text itself never changes (annotations point
into it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from stancemark.core.commands import _short, fields_before
from stancemark.core.dates import is_iso_value
from stancemark.core.errors import IntegrityError
from stancemark.core.model import STATUSES, Change
from stancemark.core.protocols import ArticleRepo, StatusRepo

# The fields an analyst may change; the text, its hash and the uid never change.
EDITABLE_ARTICLE_FIELDS: tuple[str, ...] = ("title", "published", "source", "url", "author",
                                            "language")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def article_field_problem(name: str, value: Any) -> str | None:
    """Why `value` cannot be article field `name`, in one line, or None."""
    if name not in EDITABLE_ARTICLE_FIELDS:
        return (f"cannot change article field {name!r} (editable: "
                f"{', '.join(EDITABLE_ARTICLE_FIELDS)})")
    if not isinstance(value, str):
        return f"article {name} must be text"
    if any(c in value for c in "\n\r\t\x00"):
        return f"article {name} must be one line"
    if name == "published" and value and ("/" in value or not is_iso_value(value)):
        return f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    if name == "language" and value and not _LANGUAGE.fullmatch(value):
        return f"language {value!r} is not a language code such as en, zh or pt-BR"
    if name == "url" and value and (" " in value or "://" not in value):
        return f"URL {value!r} is not an address such as https://example.org/story"
    return None


def _change(action: str, uid: str, entity: str = "article") -> Change:
    return Change(action, entity, (uid,), (uid,))


@dataclass
class UpdateArticle:
    """Set any of the article's editable fields (values are stripped)."""

    uid: str
    changes: dict[str, Any]
    label: str = ""
    _before: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.changes = {k: v.strip() if isinstance(v, str) else v for k, v in self.changes.items()}
        if not self.label:
            names = ", ".join(self.changes) or "nothing"
            self.label = f"Edit article {names}"

    def apply(self, repo: ArticleRepo) -> Change:
        self._before = fields_before(repo.get_article(self.uid), "article", self.uid, self.changes)
        repo.update_article(self.uid, **self.changes)
        return _change("update", self.uid)

    def revert(self, repo: ArticleRepo) -> Change:
        repo.update_article(self.uid, **self._before)
        return _change("update", self.uid)


@dataclass
class DeleteArticle:
    """Move an article (and so its annotations, in every view) to the trash."""

    uid: str
    title: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        self.label = self.label or f"Delete article “{_short(self.title or self.uid)}”"

    def apply(self, repo: ArticleRepo) -> Change:
        repo.delete_article(self.uid)
        return _change("delete", self.uid)

    def revert(self, repo: ArticleRepo) -> Change:
        repo.restore_article(self.uid)
        return _change("restore", self.uid)


@dataclass
class RestoreArticle:
    uid: str
    label: str = "Restore article from the trash"

    def apply(self, repo: ArticleRepo) -> Change:
        repo.restore_article(self.uid)
        return _change("restore", self.uid)

    def revert(self, repo: ArticleRepo) -> Change:
        repo.delete_article(self.uid)
        return _change("delete", self.uid)


@dataclass
class SetStatus:
    """One annotator's status of an article (new, in progress, done)."""

    article_uid: str
    status: str
    annotator_uid: str | None = None
    label: str = ""
    _before: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        self.label = self.label or f"Mark article {self.status}"

    def apply(self, repo: StatusRepo) -> Change:
        if self.status not in STATUSES:
            raise IntegrityError(f"unknown status {self.status!r} ({', '.join(STATUSES)})")
        # The first apply settles whose status it is; redo keeps that annotator.
        self.annotator_uid = self.annotator_uid or repo.annotator.uid
        self._before = repo.set_status(self.article_uid, self.status, self.annotator_uid)
        return self._change(self.status)

    def revert(self, repo: StatusRepo) -> Change:
        repo.set_status(self.article_uid, self._before, self.annotator_uid)
        return self._change(self._before)

    def _change(self, status: str) -> Change:
        return Change("update", "status", (self.article_uid,), (self.article_uid,),
                      statuses=((self.article_uid, self.annotator_uid or "", status),))
