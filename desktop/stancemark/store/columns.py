"""The annotation and article columns, defined once: every statement that writes or reads
whole rows (repository, bulk load, merge, merge checks, export rows) is built from here,
so a new column is added in one place.

ANNOTATION_FIELDS pairs each field of core.model.Annotation (in order) with its column in
the `annotations` table and the expression ANNOTATION_SELECT reads it with: reference
columns hold row ids, the Annotation holds the uids behind them.
"""

from __future__ import annotations

from typing import NamedTuple

from stancemark.core.model import annotation_fields


class Field(NamedTuple):
    name: str  # the Annotation field
    column: str  # the column of `annotations` (quoted where SQL needs it)
    select: str  # how ANNOTATION_SELECT reads it (a uid through a join for references)


ANNOTATION_FIELDS: tuple[Field, ...] = (
    Field("uid", "uid", "an.uid"),
    Field("article_uid", "article_id", "ar.uid"),
    Field("annotator_uid", "annotator_id", "ann.uid"),
    Field("kind", "kind", "an.kind"),
    Field("start", "start", "an.start"),
    Field("end", '"end"', 'an."end"'),
    Field("quote", "quote", "an.quote"),
    Field("actor_uid", "actor_id", "ac.uid"),
    Field("date_value", "date_value", "an.date_value"),
    Field("date_granularity", "date_granularity", "an.date_granularity"),
    Field("holder_uid", "holder_id", "h.uid"),
    Field("target_topic_uid", "target_topic_id", "tt.uid"),
    Field("target_actor_uid", "target_actor_id", "ta.uid"),
    Field("polarity", "polarity", "an.polarity"),
    Field("stance_date", "stance_date", "an.stance_date"),
    Field("note", "note", "an.note"),
    Field("meta", "meta", "an.meta"),
    Field("created_at", "created_at", "an.created_at"),
    Field("updated_at", "updated_at", "an.updated_at"),
    Field("deleted_at", "deleted_at", "an.deleted_at"),
    # {attribute uid: stored value}, canonical JSON (core.attribute_values.values_json)
    Field("attributes", "attributes", "an.attributes"),
)
if tuple(f.name for f in ANNOTATION_FIELDS) != annotation_fields():  # pragma: no cover
    raise ImportError("store.columns.ANNOTATION_FIELDS does not match core.model.Annotation")

# Column names as the table has them (unquoted), e.g. for checking a colleague's file.
ANNOTATION_COLUMNS: tuple[str, ...] = tuple(f.column.strip('"') for f in ANNOTATION_FIELDS)
BY_FIELD: dict[str, Field] = {f.name: f for f in ANNOTATION_FIELDS}

# The joins that turn row ids into uids; `{s}` is the schema ("main" or an attached one).
_JOINS = """FROM {s}annotations an
JOIN {s}articles ar ON ar.id = an.article_id
JOIN {s}annotators ann ON ann.id = an.annotator_id
LEFT JOIN {s}actors ac ON ac.id = an.actor_id
LEFT JOIN {s}actors h ON h.id = an.holder_id
LEFT JOIN {s}topics tt ON tt.id = an.target_topic_id
LEFT JOIN {s}actors ta ON ta.id = an.target_actor_id
"""


def annotation_joins(schema: str = "") -> str:
    """The FROM clause of ANNOTATION_SELECT, on `schema` (e.g. "theirs") when given."""
    return _JOINS.format(s=f"{schema}." if schema else "")


def annotation_select(schema: str = "", fields: tuple[str, ...] | None = None) -> str:
    """SELECT of whole annotations (or of `fields`, in that order) with uids for ids."""
    names = fields or tuple(f.name for f in ANNOTATION_FIELDS)
    return "SELECT " + ", ".join(BY_FIELD[n].select for n in names) + "\n" + annotation_joins(schema)


ANNOTATION_SELECT = annotation_select()
_NAMES = ", ".join(f.column for f in ANNOTATION_FIELDS)
_MARKS = ",".join("?" * len(ANNOTATION_FIELDS))
ANNOTATION_INSERT = f"INSERT INTO annotations ({_NAMES}) VALUES ({_MARKS})"  # noqa: S608 - fixed names
# What an update may rewrite: everything but the identity, the owner, the kind and the
# creation time (the repository checks which fields a caller may change).
ANNOTATION_UPDATABLE: tuple[Field, ...] = tuple(
    f for f in ANNOTATION_FIELDS
    if f.name not in ("uid", "article_uid", "annotator_uid", "kind", "created_at"))
_SETS = ", ".join(f"{f.column} = ?" for f in ANNOTATION_UPDATABLE)
ANNOTATION_UPDATE = f"UPDATE annotations SET {_SETS} WHERE uid = ?"  # noqa: S608 - fixed names

ARTICLE_COLUMNS = ("uid, title, text, sha256, source, url, author, published, language, "
                   "added_at, meta, deleted_at")
