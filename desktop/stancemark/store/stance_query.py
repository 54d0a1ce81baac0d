"""The discourse views' queries: a StanceFilter as SQL, the matching ids in table order,
rows by id, and the stances as network columns.

The tables are lazy (Anki's browser): a filter gives the ordered row ids of every
match, and rows are read a block at a time for what is on screen. So a filter change
costs one scan of the stances, never a read of 600,000 full rows; migration m006 adds
covering partial indexes (every filterable column of the live stances and mentions),
so that scan reads neither the annotation rows nor the articles' texts.

A stance's date is its own `stance_date`, else its article's `published`. Looking up
the article per stance would read 100,000 article rows (each holds its text); the
date filter asks instead for the articles dated in the range (an index range) and the
stances of those articles without a date of their own.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from stancemark.core.codebook import Attribute
from stancemark.core.errors import StancemarkError
from stancemark.core.network import HOLDER_SHIFT, POLARITY_BITS, TOPIC_MASK, Statements
from stancemark.core.periods import day_of
from stancemark.core.stance_filter import MentionRow, StanceFilter, StanceRow
from stancemark.store.repository import Repository, fts_query

HIGH = "\U0010ffff"  # sorts after every character: "2021" + HIGH bounds all of 2021

_STANCE_SORT_SQL = {
    "holder": "(SELECT name FROM actors WHERE id = an.holder_id) COLLATE NOCASE",
    "target": "coalesce((SELECT name FROM topics WHERE id = an.target_topic_id), "
              "(SELECT name FROM actors WHERE id = an.target_actor_id)) COLLATE NOCASE",
    "polarity": "an.polarity",
    "date": "coalesce(nullif(an.stance_date, ''), "
            "(SELECT published FROM articles WHERE id = an.article_id))",
    "title": "(SELECT title FROM articles WHERE id = an.article_id) COLLATE NOCASE",
    "published": "(SELECT published FROM articles WHERE id = an.article_id)",
    "quote": "an.quote COLLATE NOCASE",
    "annotator": "(SELECT name FROM annotators WHERE id = an.annotator_id)",
    "created": "an.id",
}
_MENTION_SORT_SQL = {
    "actor": "(SELECT name FROM actors WHERE id = an.actor_id) COLLATE NOCASE",
    "quote": "an.quote COLLATE NOCASE",
    "title": _STANCE_SORT_SQL["title"],
    "published": _STANCE_SORT_SQL["published"],
    "annotator": _STANCE_SORT_SQL["annotator"],
    "created": "an.id",
}


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _actor_ids(repo: Repository, text: str) -> list[int]:
    """Actors whose name or an alias contains `text` (any case)."""
    pattern = _like(text.strip())
    return [r[0] for r in repo.conn.execute(
        "SELECT id FROM actors WHERE name LIKE ? ESCAPE '\\' UNION "
        "SELECT actor_id FROM actor_aliases WHERE alias LIKE ? ESCAPE '\\'",
        [pattern, pattern])]


def _topic_ids(repo: Repository, text: str) -> list[int]:
    return [r[0] for r in repo.conn.execute(
        "SELECT id FROM topics WHERE name LIKE ? ESCAPE '\\'", [_like(text.strip())])]


def _ids_of(repo: Repository, table: str, uids: Sequence[str]) -> list[int]:
    return [r[0] for r in repo.conn.execute(
        f"SELECT id FROM {table} WHERE uid IN (SELECT value FROM json_each(?))",  # noqa: S608
        [json.dumps(list(uids))])]


def _in(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))]  # noqa: S608


# The covering partial index of each kind (m006), named in the FROM clause: SQLite's
# planner otherwise prefers (annotator, kind) and reads every full row (2-3x slower).
_FROM = {"stance": "annotations an INDEXED BY annotations_stance_cols",
         "actor": "annotations an INDEXED BY annotations_mention_cols"}


def _where(repo: Repository, f: StanceFilter, kind: str) -> tuple[str, list[Any]]:
    """The filter as SQL over `_FROM[kind]` (live annotations of `kind`). The kind is a
    literal, not a parameter: only then can SQLite use the partial index."""
    f.check()
    where = [f"an.kind = '{'stance' if kind == 'stance' else 'actor'}'", "an.deleted_at IS NULL"]
    params: list[Any] = []

    def add(sql: str, values: Iterable[Any] = ()) -> None:
        where.append(sql)
        params.extend(values)

    stance = kind == "stance"
    if f.holder.strip():
        add(*_in("an.holder_id" if stance else "an.actor_id", _actor_ids(repo, f.holder)))
    if stance and f.target.strip():
        topics, actors = _topic_ids(repo, f.target), _actor_ids(repo, f.target)
        parts = [_in(col, ids) for col, ids in (("an.target_topic_id", topics),
                                                ("an.target_actor_id", actors)) if ids]
        # an OR costs a second lookup per stance: only when both kinds of target match
        add("(" + " OR ".join(sql for sql, _ in parts) + ")" if parts else "0",
            [v for _, values in parts for v in values])
    if f.holder_uids is not None:
        add(*_in("an.holder_id" if stance else "an.actor_id",
                 _ids_of(repo, "actors", f.holder_uids)))
    if stance and f.topic_uids is not None:
        add(*_in("an.target_topic_id", _ids_of(repo, "topics", f.topic_uids)))
    if stance and f.polarity:
        add(f"an.polarity IN ({','.join('?' * len(f.polarity))})", f.polarity)
    if f.annotators:
        ids = [r[0] for r in repo.conn.execute(
            "SELECT id FROM annotators WHERE name IN (SELECT value FROM json_each(?))",
            [json.dumps(list(f.annotators))])]
        add(*_in("an.annotator_id", ids))
    if f.quote.strip():
        add("an.quote LIKE ? ESCAPE '\\'", [_like(f.quote)])
    if stance and f.note.strip():
        add("an.note LIKE ? ESCAPE '\\'", [_like(f.note)])
    for name, value in f.attributes:
        add(*_attribute_condition(repo, name, value))
    articles = _article_conditions(f)
    if articles:
        sql, values = articles
        add(f"an.article_id IN (SELECT a.id FROM articles a WHERE {sql})", values)  # noqa: S608
    if stance and (f.date_from or f.date_to):
        own, own_p = _range("an.stance_date", f.date_from, f.date_to)
        art, art_p = _range("a.published", f.date_from, f.date_to)
        add(f"((nullif(an.stance_date, '') IS NOT NULL AND {own}) OR "  # noqa: S608
            f"(nullif(an.stance_date, '') IS NULL AND an.article_id IN "
            f"(SELECT a.id FROM articles a WHERE a.deleted_at IS NULL AND {art})))",
            own_p + art_p)
    return " AND ".join(where), params


def _first_day(column: str) -> str:
    """SQL for the day a date value starts on, as ISO text: "2021" -> "2021-01-01",
    "2021-03" -> "2021-03-01", "A/B" -> A's. So a year-only date falls on its first day,
    in the filters as in the timeline and the network windows (core/periods.py)."""
    first = f"(CASE WHEN instr({column}, '/') > 0 THEN substr({column}, 1, " \
            f"instr({column}, '/') - 1) ELSE {column} END)"
    return (f"(CASE length({first}) WHEN 4 THEN {first} || '-01-01' "
            f"WHEN 7 THEN {first} || '-01' ELSE {first} END)")


def stance_attributes(repo: Repository) -> tuple[Attribute, ...]:
    """The codebook's attributes of stances (the table's attribute columns)."""
    return repo.codebook().attributes_of("stance")


def _attribute_condition(repo: Repository, name: str, text: str) -> tuple[str, list[Any]]:
    """A stance attribute (by name) with a value (as typed: a vocabulary name, "yes",
    "3", ...). The value is parsed as the codebook's type says; a multiple choice
    matches when the value is one of those chosen."""
    attr = repo.codebook().attribute_by_name("stance", name)
    if attr is None:
        raise StancemarkError(f"no stance attribute called {name!r} in the codebook")
    value = attr.parse(text)  # a CodebookError says what does not fit, in one line
    if value is None:
        return "json_extract(an.attributes, ?) IS NULL", [f'$."{attr.uid}"']
    if isinstance(value, list):  # several chosen: each must be there
        return (" AND ".join(["EXISTS (SELECT 1 FROM json_each(an.attributes, ?) "
                              "WHERE value = ?)"] * len(value)),
                [x for v in value for x in (f'$."{attr.uid}"', v)])
    if attr.multiple:
        return ("EXISTS (SELECT 1 FROM json_each(an.attributes, ?) WHERE value = ?)",
                [f'$."{attr.uid}"', value])
    return "json_extract(an.attributes, ?) = ?", [
        f'$."{attr.uid}"', int(value) if isinstance(value, bool) else value]


def _range(column: str, lo: str, hi: str) -> tuple[str, list[Any]]:
    """A date range, inclusive, by prefix at the top: hi "2021" keeps all of 2021.
    The raw value is tested first (v >= the year of lo, v <= hi + HIGH hold whenever its
    first day is in range, and an index on the column answers them); the first day is
    worked out only for the values that pass."""
    sql, params = [], []
    day = _first_day(column)
    if lo:
        sql.append(f"{column} >= ? AND {day} >= ?")
        params += [lo[:4], lo]
    if hi:
        sql.append(f"{column} <= ? AND {day} <= ?")
        params += [hi + HIGH, hi + HIGH]
    return " AND ".join(sql), params


def _article_conditions(f: StanceFilter) -> tuple[str, list[Any]] | None:
    sql, params = [], []
    if f.search.strip():
        sql.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(fts_query(f.search))
    if f.title.strip():
        sql.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append("title : (" + fts_query(f.title) + ")")
    if f.published_from or f.published_to:
        s, p = _range("a.published", f.published_from, f.published_to)
        sql.append(s)
        params += p
    if f.article_uids is not None:
        sql.append("a.uid IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(f.article_uids)))
    if not sql:
        return None
    return " AND ".join(["a.deleted_at IS NULL", *sql]), params


def _run(repo: Repository, sql: str, params: list[Any], what: str) -> Any:
    import sqlite3

    try:
        return repo.conn.execute(sql, params)
    except sqlite3.OperationalError as exc:  # an FTS query the user typed, mostly
        raise StancemarkError(f"bad {what} filter: {exc}") from None


def _order(sort: str, descending: bool, table: dict[str, str]) -> str:
    if sort and sort not in table:
        raise StancemarkError(f"cannot sort by {sort!r} (use one of {', '.join(table)})")
    if not sort or sort == "created":
        return " ORDER BY an.id" + (" DESC" if descending else "")
    way = " DESC" if descending else ""
    return f" ORDER BY {table[sort]}{way}, an.id{way}"


_SORTS = {"stance": _STANCE_SORT_SQL, "actor": _MENTION_SORT_SQL}


def count(repo: Repository, f: StanceFilter = StanceFilter(), kind: str = "stance") -> int:
    """How many stances (kind "stance") or actor mentions (kind "actor") match."""
    where, params = _where(repo, f, kind)
    sql = f"SELECT count(*) FROM {_FROM[kind]} WHERE {where}"  # noqa: S608
    return _run(repo, sql, params, kind).fetchone()[0]


def ids(repo: Repository, f: StanceFilter = StanceFilter(), kind: str = "stance",
        sort: str = "", descending: bool = False, offset: int = 0, limit: int = -1) -> array:
    """Row ids of the matches in table order (default: as tagged), `limit` of them from
    `offset`. In the default order a page costs a walk of the covering index up to it
    (C speed); any other order sorts every match first."""
    where, params = _where(repo, f, kind)
    sql = (f"SELECT an.id FROM {_FROM[kind]} WHERE {where}"  # noqa: S608
           + _order(sort, descending, _SORTS[kind]) + " LIMIT ? OFFSET ?")
    return array("q", [r[0] for r in _run(repo, sql, [*params, limit, offset], kind)])


def stance_ids(repo: Repository, f: StanceFilter = StanceFilter(), sort: str = "",
               descending: bool = False) -> array:
    """Row ids of every matching stance, in table order."""
    return ids(repo, f, "stance", sort, descending)


def mention_ids(repo: Repository, f: StanceFilter = StanceFilter(), sort: str = "",
                descending: bool = False) -> array:
    return ids(repo, f, "actor", sort, descending)


_STANCE_ROW_SQL = """
SELECT an.id, an.uid, ar.uid, ar.title, ar.published, an.start, an."end", an.quote,
       coalesce(h.name, ''), coalesce(h.uid, ''), coalesce(tt.name, ta.name, ''),
       coalesce(tt.uid, ta.uid, ''),
       CASE WHEN tt.id IS NOT NULL THEN 'topic' WHEN ta.id IS NOT NULL THEN 'actor' ELSE '' END,
       coalesce(an.polarity, ''), coalesce(an.stance_date, ''), ann.name, an.note, an.meta,
       an.attributes
FROM annotations an
JOIN articles ar ON ar.id = an.article_id
JOIN annotators ann ON ann.id = an.annotator_id
LEFT JOIN actors h ON h.id = an.holder_id
LEFT JOIN topics tt ON tt.id = an.target_topic_id
LEFT JOIN actors ta ON ta.id = an.target_actor_id
WHERE an.id IN (SELECT value FROM json_each(?))"""

_MENTION_ROW_SQL = """
SELECT an.id, an.uid, ar.uid, ar.title, ar.published, an.start, an."end", an.quote,
       coalesce(ac.name, ''), coalesce(ac.uid, ''), coalesce(ac.kind, ''), ann.name
FROM annotations an
JOIN articles ar ON ar.id = an.article_id
JOIN annotators ann ON ann.id = an.annotator_id
LEFT JOIN actors ac ON ac.id = an.actor_id
WHERE an.id IN (SELECT value FROM json_each(?))"""


def stance_rows(repo: Repository, ids: Sequence[int]) -> list[StanceRow]:
    """The rows of these stances, in the order asked (ids gone since are skipped)."""
    found = {}
    for r in repo.conn.execute(_STANCE_ROW_SQL, [json.dumps(list(ids))]):
        meta = json.loads(r[17]) if r[17] and r[17] != "{}" else {}
        attributes = json.loads(r[18]) if r[18] and r[18] != "{}" else {}
        found[r[0]] = StanceRow(
            id=r[0], uid=r[1], article_uid=r[2], title=r[3], published=r[4], start=r[5],
            end=r[6], quote=r[7], holder=r[8], holder_uid=r[9], target=r[10],
            target_uid=r[11], target_kind=r[12], polarity=r[13], stance_date=r[14],
            date=r[14] or r[4], annotator=r[15], note=r[16], meta=meta,
            attributes=attributes)
    return [found[i] for i in ids if i in found]


def mention_rows(repo: Repository, ids: Sequence[int]) -> list[MentionRow]:
    found = {r[0]: MentionRow(*r) for r in repo.conn.execute(
        _MENTION_ROW_SQL, [json.dumps(list(ids))])}
    return [found[i] for i in ids if i in found]


def ids_of_uids(repo: Repository, uids: Iterable[str]) -> dict[str, int]:
    """Annotation uid -> row id (for views patching themselves after a change)."""
    return dict(repo.conn.execute(
        "SELECT uid, id FROM annotations WHERE uid IN (SELECT value FROM json_each(?))",
        [json.dumps(list(uids))]).fetchall())


def article_ids(repo: Repository, uids: Iterable[str]) -> list[int]:
    """Article row ids of these uids (the known ones)."""
    return [r[0] for r in repo.conn.execute(
        "SELECT id FROM articles WHERE uid IN (SELECT value FROM json_each(?))",
        [json.dumps(list(uids))])]


def uids_of_ids(repo: Repository, ids: Iterable[int]) -> list[str]:
    """Annotation uids of these row ids, in the order given."""
    ids = list(ids)
    found = dict(repo.conn.execute(
        "SELECT id, uid FROM annotations WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)]).fetchall())
    return [found[i] for i in ids if i in found]


def article_days(repo: Repository) -> dict[int, int]:
    """Live article row id -> the day of its date (0 without one)."""
    days: dict[str, int] = {}
    out = {}
    for art, published in repo.conn.execute(
            "SELECT id, published FROM articles WHERE deleted_at IS NULL"):
        day = days.get(published)
        if day is None:
            day = days[published] = day_of(published)
        out[art] = day
    return out


def statements(repo: Repository, f: StanceFilter = StanceFilter(),
               only: Iterable[int] | None = None,
               articles: Iterable[int] | None = None, detail: bool = True) -> Statements:
    """The matching stances (of the row ids `only`, of the article row ids `articles`,
    when given) as network columns. Without `detail` the annotation ids and target
    actors are left as zeros (the window's views count without them; every column
    fewer out of SQLite saves a tenth of a second at 600,000 stances).
    Unfinished stances (no holder or no target) name no edge and are left out.

    Loading 600,000 stances is the costly step of a whole-corpus network: one scan of
    the covering index, few plain ints out of SQLite per row (holder, topic and polarity
    as one key), columns built by C-level maps; the day comes from the article's date
    (one small query) unless the stance has a date of its own."""
    where, params = _where(repo, f, "stance")
    where += (" AND an.holder_id IS NOT NULL AND (an.target_topic_id IS NOT NULL OR "
              "an.target_actor_id IS NOT NULL)")
    if only is not None:
        where += " AND an.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(only)))
    if articles is not None:
        where += " AND an.article_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(articles)))
    # (holder, topic, polarity) as one int, computed by SQLite (core.network.encode)
    extra = "an.id, coalesce(an.target_actor_id, 0), " if detail else ""
    sql = ("SELECT (an.holder_id << ?) | (coalesce(an.target_topic_id, 0) << ?) | "  # noqa: S608
           "CASE an.polarity WHEN 'support' THEN 0 WHEN 'oppose' THEN 1 ELSE 2 END, "
           f"an.article_id, nullif(an.stance_date, ''), {extra}0 "
           f"FROM {_FROM['stance']} WHERE {where}")
    top = repo.conn.execute("SELECT coalesce(max(id), 0) FROM topics").fetchone()[0]
    if top > TOPIC_MASK:
        raise StancemarkError("too many topics for the network (row ids past 16 million)")
    rows = _run(repo, sql, [HOLDER_SHIFT, POLARITY_BITS, *params], "stance").fetchall()
    key, article = (array("q", map(itemgetter(i), rows)) for i in (0, 1))
    if detail:
        ids_, actor = (array("q", map(itemgetter(i), rows)) for i in (3, 4))
    else:
        ids_, actor = array("q", bytes(8 * len(rows))), array("q", bytes(8 * len(rows)))
    own = list(map(itemgetter(2), rows))
    del rows
    published = article_days(repo)
    day = array("q", map(published.get, article, repeat(0)))
    dated = list(compress(range(len(own)), own))  # the few with a date of their own
    if dated:
        days = {v: day_of(v) for v in set(map(own.__getitem__, dated))}
        for i in dated:
            day[i] = days[own[i]]
    return Statements(columns=(ids_, key, actor, day, article))


def node_names(repo: Repository) -> dict[tuple[str, int], tuple[str, str, str, str, str]]:
    """Network node -> (uid, name, kind, country, description) of every actor and topic."""
    out: dict[tuple[str, int], tuple[str, str, str, str, str]] = {}
    for rid, *info in repo.conn.execute(
            "SELECT id, uid, name, kind, country, description FROM actors"):
        out[("actor", rid)] = (info[0], info[1], info[2], info[3], info[4])
    for rid, uid, name, description in repo.conn.execute(
            "SELECT id, uid, name, description FROM topics"):
        out[("topic", rid)] = (uid, name, "topic", "", description)
    return out


def filter_uids(repo: Repository, f: StanceFilter, kind: str = "stance"
                ) -> tuple[tuple[str, ...], frozenset[str]]:
    """(article uids in store order, annotation uids) of the matching stances or
    mentions: an export's scope for exactly the filtered rows."""
    where, params = _where(repo, f, kind)
    sql = (f"SELECT ar.uid, an.uid FROM {_FROM[kind]} "  # noqa: S608
           f"JOIN articles ar ON ar.id = an.article_id WHERE {where} ORDER BY ar.id")
    articles: dict[str, None] = {}
    uids = set()
    for art, ann in _run(repo, sql, params, kind):
        articles[art] = None
        uids.add(ann)
    return tuple(articles), frozenset(uids)
