"""`stancemark sync`: push this store's changes to the hub, pull the others'.

Push: the rows changed here since the last push (store.hub.local), that this member
may write, go to the hub in one transaction: new rows are inserted, rows the hub has
are replaced only by a later edit (`edited`), and PostgreSQL's row-level security
refuses anything the member may not write. Rows the hub kept in another version (a
later edit there, or a register entry only its editors may change) come back with the
pull, where the merge's rules decide.

Pull: every row with a hub sequence number above this store's cursor that another store
pushed, read in one snapshot, laid out as a store (store.hub.scratch) and merged with the
merge's checks and rules (store.merge.merge_attached): identity by uid, articles by text
hash, the later edit wins with both versions audited, my own annotations never changed,
duplicate actors proposed, never merged. The cursor moves in the merge's transaction.

Interruptible: each side changes in one transaction per step. A kill or a dropped
connection before the hub commits a push leaves the hub as it was and the rows pending
here; after it, the rows are pushed again next time, which changes nothing. A pull that
does not commit leaves this store and its cursor as they were.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stancemark.core.errors import Cancelled, InputError
from stancemark.core.model import GOLD_ANNOTATOR, now_iso
from stancemark.store.hub import local
from stancemark.store.hub.connection import HubError, connect, psycopg, reason, safe_url
from stancemark.store.hub.schema import Member, check_version
from stancemark.store.hub.scratch import Reader, Scratch
from stancemark.store.hub.tables import SYNCED
from stancemark.store.merge import MergeReport, merge_attached
from stancemark.store.repository import Repository

Progress = Callable[[int, int, str], Any]
_STEPS = 4
_FETCH = 5000  # rows per round trip when pulling


@dataclass
class SyncReport:
    hub: str
    at: str = ""
    pushed: Counter[str] = field(default_factory=Counter)  # entity -> rows the hub took
    kept_on_hub: int = 0  # pushed, but the hub kept its own version
    not_mine: int = 0  # changed here, but another member's to push
    trashed: int = 0  # removed here for good -> moved to the hub's trash
    pulled: Counter[str] = field(default_factory=Counter)  # entity -> rows received
    pulled_from: set[str] = field(default_factory=set)  # owners of the rows received
    merge: MergeReport | None = None
    seq: int = 0

    def came_in(self) -> str:
        """What the pull changed here, in a few words (the window's status bar): what the
        merge added or updated, not the rows read (a colleague's copy of an article or
        register entry this store already has changes nothing)."""
        m = self.merge
        if m is None:
            return "nothing new"
        counts = ((m.annotations_added + m.annotations_updated, "annotation(s)"),
                  (m.articles_added, "article(s)"),
                  (m.statuses_added + m.statuses_updated, "status(es)"),
                  (m.decisions_added, "review decision(s)"),
                  (m.actors_added + m.topics_added + m.aliases_added + m.registers_updated,
                   "register entry(ies)"))
        parts = [f"{n} {what}" for n, what in counts if n]
        if not parts:
            return "nothing new"
        who = ", ".join(sorted(self.pulled_from))
        return ", ".join(parts) + (f" from {who}" if who else "")

    def summary(self) -> str:
        pushed = ", ".join(f"{n} {e}(s)" for e, n in self.pushed.items() if n) or "nothing"
        lines = [f"synced with {self.hub} at {self.at[11:19]} UTC: pushed {pushed}; "
                 f"came in: {self.came_in()} ({sum(self.pulled.values())} hub row(s) read, "
                 f"hub at #{self.seq})"]
        if self.kept_on_hub:
            lines.append(f"{self.kept_on_hub} change(s) not taken by the hub (a later edit "
                         "there, or an entry only register editors may change); the merge "
                         "rules settled them here")
        if self.not_mine:
            lines.append(f"{self.not_mine} changed row(s) of other annotators not pushed "
                         "(each member pushes their own)")
        if self.trashed:
            lines.append(f"{self.trashed} annotation(s) removed here moved to the hub's trash")
        if self.merge is not None and self.merge.proposals:
            lines.append(self.merge.summary().split("\n", 1)[1])
        return "\n".join(lines)


def _tick(progress: Progress | None, step: int, message: str) -> None:
    if progress is not None and progress(step, _STEPS, message) is False:
        raise Cancelled("sync cancelled; what was finished stays, the rest comes next time")


def sync(repo: Repository, url: str, *, progress: Progress | None = None) -> SyncReport:
    """Push this store's changes, then pull the others' (see the module notes)."""
    hub = f"hub {safe_url(url)}"
    pg = psycopg()
    conn = connect(url)
    try:
        return _sync(repo, url, conn, progress)
    except pg.errors.InsufficientPrivilege as exc:
        raise HubError(f"{hub}: the hub refused a write ({reason(exc)}); nothing of it was "
                       "applied") from None
    except (pg.OperationalError, pg.InterfaceError) as exc:
        raise HubError(f"{hub}: the connection was lost ({reason(exc)}); what was not "
                       "finished was not applied, on either side; sync again") from None
    except pg.Error as exc:
        raise HubError(f"{hub}: {reason(exc)}; what was not finished was not applied") from None
    finally:
        with contextlib.suppress(Exception):
            conn.close()


def _member(cur: Any) -> Member | None:
    cur.execute("SELECT role, annotator, reviewer, registers FROM stancemark_hub.members "
                "WHERE role = current_user")
    row = cur.fetchone()
    return Member(*row) if row else None


def _sync(repo: Repository, url: str, conn: Any, progress: Progress | None) -> SyncReport:
    hub = f"hub {safe_url(url)}"
    report = SyncReport(hub)
    _tick(progress, 0, "connecting")
    with conn.cursor() as cur:
        check_version(cur, url)
        cur.execute("SELECT value FROM stancemark_hub.info WHERE key = 'hub_uid'")
        hub_uid = cur.fetchone()[0]
        member = _member(cur)
        cur.execute("SELECT entity, rule FROM stancemark_hub.entities")
        rules = dict(cur.fetchall())
    conn.commit()
    if member is None:
        raise HubError(f"{hub}: your login is not a member of this hub (its owner adds you "
                       "with `stancemark hub add-analyst NAME`)")
    if repo.annotator.name != member.annotator:
        raise HubError(f"{hub}: this store's annotator is “{repo.annotator.name}” but the hub "
                       f"knows your login as “{member.annotator}”; sync with --annotator "
                       f"{member.annotator}")
    state = local.attach(repo, hub_uid, safe_url(url))
    origin = repo.store_uid()
    _tick(progress, 1, "pushing")
    seen: list[tuple[str, int, int]] = []
    out = local.pending(repo, _decider(member, rules, report), seen)
    gone = local.purged(repo)
    kept = _push(conn, out, gone, origin, report)
    local.clear_pushed(repo, seen, gone)
    _tick(progress, 2, "pulling")
    _pull(repo, conn, state, origin, kept, report, hub, progress)
    return report


def _decider(member: Member, rules: dict[str, str], report: SyncReport) -> local.Decide:
    me = member.annotator

    def decide(entity: str, owner: str | None) -> str | None:
        rule = rules.get(entity)
        if rule in ("annotator", "own"):
            if owner == me or (owner == GOLD_ANNOTATOR and member.reviewer):
                return owner
        elif rule == "review":
            if member.reviewer and owner == me:
                return owner
        elif rule == "shared" or (rule == "editors" and member.registers):
            return me
        if rule is not None:
            report.not_mine += 1
        return None

    return decide


def _push(conn: Any, out: Iterator[local.Outgoing], gone: list[tuple[str, str, str]],
          origin: str, report: SyncReport) -> list[local.Incoming]:
    """One hub transaction; returns the pushed rows the hub kept in another version."""
    first = next(out, None)
    if first is None and not gone:
        return []
    kept: list[local.Incoming] = []
    present: set[str] = set()
    with conn.transaction(), conn.cursor() as cur:
        # The hub's table may be far larger than a push: its rows are reached by key
        # (index), never by scanning it for a join.
        cur.execute("SET LOCAL enable_hashjoin = off")
        cur.execute("SET LOCAL enable_mergejoin = off")
        cur.execute("CREATE TEMP TABLE staging (entity text, key text, owner text, edited text, "
                    "data jsonb) ON COMMIT DROP")
        with cur.copy("COPY staging (entity, key, owner, edited, data) FROM STDIN") as copy:
            for o in itertools.chain([first] if first else [], out):
                copy.write_row((o.entity, o.key, o.owner, o.edited, o.data))
                present.add(o.entity)
        cur.execute("CREATE INDEX ON staging (entity, key)")
        cur.execute("ANALYZE staging")
        for spec in SYNCED:  # references first: the hub checks an annotation's annotator
            if spec.entity not in present:
                continue
            cur.execute("""
                INSERT INTO stancemark_hub.rows (entity, key, owner, edited, origin, data, seq,
                                               pushed_by, pushed_at)
                SELECT entity, key, owner, edited, %s, data, 0, current_user, now()
                FROM staging WHERE entity = %s
                ON CONFLICT (entity, key) DO NOTHING""", [origin, spec.entity])
            added = cur.rowcount
            # Rows the hub has in an older version: found first with a plain read, then
            # updated by key. (An UPDATE joined with staging would evaluate the row-level
            # policy on every hub row it scans: 3 s for 10,000 rows on a hub of 60,000.)
            cur.execute("""
                SELECT s.key FROM staging s JOIN stancemark_hub.rows h
                    ON h.entity = s.entity AND h.key = s.key
                WHERE s.entity = %s AND h.edited < s.edited AND h.data IS DISTINCT FROM s.data""",
                        [spec.entity])
            later = [r[0] for r in cur.fetchall()]
            for chunk in local.iter_chunks(later, _FETCH):
                # Row-level security leaves out, silently, the rows this member may not change.
                cur.execute("""
                    UPDATE stancemark_hub.rows h SET data = s.data, edited = s.edited, origin = %s
                    FROM staging s
                    WHERE h.entity = %s AND h.key = ANY(%s)
                      AND s.entity = h.entity AND s.key = h.key""",
                            [origin, spec.entity, chunk])
                added += cur.rowcount
            report.pushed[spec.entity] += added
        cur.execute("""SELECT h.seq, h.entity, h.key, h.owner, h.data FROM staging s
                        JOIN stancemark_hub.rows h ON h.entity = s.entity AND h.key = s.key
                        WHERE h.data IS DISTINCT FROM s.data""")
        kept = [local.Incoming(*r) for r in cur.fetchall()]
        report.kept_on_hub = len(kept)
        for entity, key, at in gone:
            cur.execute("""UPDATE stancemark_hub.rows SET edited = %s,
                                data = jsonb_set(data, '{deleted_at}', to_jsonb(%s::text))
                            WHERE entity = %s AND key = %s AND data->>'deleted_at' IS NULL""",
                        [at, at, entity, key])
            report.trashed += cur.rowcount
    return kept


def _pull(repo: Repository, conn: Any, state: local.State, origin: str,
          kept: list[local.Incoming], report: SyncReport, hub: str,
          progress: Progress | None) -> None:
    """Read the new rows in one snapshot and lay them out (with the rows they name) in a
    scratch schema; the hub is then left alone, and the merge applies them here."""
    pg = psycopg()
    conn.isolation_level = pg.IsolationLevel.REPEATABLE_READ  # one snapshot for the pull
    conn.read_only = True
    db = repo.conn
    after = state.pulled_seq
    with contextlib.ExitStack() as stack:
        try:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT coalesce(max(seq), 0) FROM stancemark_hub.rows")
                top = max(int(cur.fetchone()[0]), after)
                cur.execute("""SELECT entity, owner, count(*) FROM stancemark_hub.rows
                               WHERE seq > %s AND seq <= %s AND origin <> %s
                               GROUP BY entity, owner""", [after, top, origin])
                counts = cur.fetchall() + [(r.entity, r.owner, 1) for r in kept]
                report.seq = top
                report.at = now_iso()
                for entity, owner, n in counts:
                    report.pulled[entity] += n
                    if entity in ("annotation", "status", "decision", "annotator"):
                        report.pulled_from.add(owner)
                scratch = None
                scratch_file: Path | None = None
                if counts:
                    tmp = stack.enter_context(tempfile.TemporaryDirectory(
                        prefix="stancemark-sync-"))
                    scratch_file = Path(tmp) / "hub.sqlite"
                    db.execute("ATTACH DATABASE ? AS theirs", [str(scratch_file)])
                    stack.callback(_detach, db)
                    scratch = Scratch(repo, state.hub_uid)
                    entities = {entity for entity, _, _ in counts}
                    _lay_out(db, scratch, entities, kept, _reader(conn, after, top, origin), hub)
        finally:
            conn.isolation_level = None
            conn.read_only = None
        if scratch is None:
            with repo.tx():
                local.save_state(repo, state.hub_uid, top, report.at, report.came_in())
            return
        _tick(progress, 3, f"merging {sum(report.pulled.values())} row(s)")
        _merge(repo, scratch, state, top, report, hub, scratch_file)


def _detach(db: Any) -> None:
    if db.in_transaction:
        db.execute("ROLLBACK")
    db.execute("DETACH DATABASE theirs")


def _reader(conn: Any, after: int, top: int, origin: str) -> Reader:
    """Rows of one entity from the hub, each column as a JSON fragment: the new rows
    another store pushed (keys None), or the rows with these keys."""
    from psycopg import sql

    def read(entity: str, columns: tuple[str, ...], keys: list[str] | None) -> Iterator[tuple]:
        # Every column as text, as COPY sent it (the sequence number too): psycopg's
        # C loaders build whole batches of tuples, where COPY parsed row by row in Python
        # (through COPY, the same rows cost the client 3-4 s more CPU per million).
        # `data || '{}'` in a subquery of its own: a row's data detoasted once, not once
        # per column (an article's text is stored out of line: each `->` read it again).
        frags = sql.SQL(", ").join(sql.SQL("(d->{})::text").format(sql.Literal(c))
                                   for c in columns)
        if keys is None:
            # Ordered by the table's sequence number itself, numerically: the seq index
            # then gives the rows in order as they are read. (Ordered by the text of it,
            # the server sorted every row before it sent the first: the client waited.)
            query = sql.SQL("SELECT seq::text, key, owner, {} FROM (SELECT seq, key, owner, "
                            "data || '{{}}' AS d FROM stancemark_hub.rows "
                            "WHERE entity = %s AND seq > %s AND seq <= %s AND origin <> %s "
                            "ORDER BY rows.seq OFFSET 0) r ORDER BY r.seq").format(frags)
            params: list[Any] = [entity, after, top, origin]
        else:
            query = sql.SQL("SELECT seq::text, key, owner, {} FROM (SELECT seq, key, owner, "
                            "data || '{{}}' AS d FROM stancemark_hub.rows "
                            "WHERE entity = %s AND key = ANY(%s) OFFSET 0) r").format(frags)
            params = [entity, keys]
        return _fetched(conn, query, params)

    return read


def _fetched(conn: Any, query: Any, params: list[Any]) -> Iterator[tuple]:
    """The rows of a server-side cursor, fetched in batches by a thread of their own: the
    next batch comes over the network (and the server reads it) while the caller writes
    the last one into SQLite; both release the GIL while they wait. The caller uses the
    hub connection only once the rows are all read (or it stopped reading)."""
    batches: queue.Queue[Any] = queue.Queue(maxsize=1)  # a batch of article texts is large
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                batches.put(item, timeout=0.1)
                return True
        return False

    def fetch() -> None:
        try:
            with conn.cursor(name="stancemark_pull") as cur:
                cur.execute(query, params)
                while put(rows := cur.fetchmany(_FETCH)) and rows:
                    pass
        except BaseException as exc:  # raised again by the reading thread
            put(exc)

    thread = threading.Thread(target=fetch, name="hub-fetch", daemon=True)
    thread.start()
    try:
        while True:
            item = batches.get()
            if isinstance(item, BaseException):
                raise item
            if not item:
                return
            yield from item
    finally:
        stop.set()  # a reader that stopped early: the thread ends at its next batch
        thread.join()


def _lay_out(db: Any, scratch: Scratch, entities: set[str], kept: list[local.Incoming],
             read: Reader, hub: str) -> None:
    db.execute("PRAGMA theirs.journal_mode = OFF")
    db.execute("PRAGMA theirs.synchronous = OFF")
    # The scratch's indexes (hub keys, row keys) of a large pull do not fit the default
    # 2 MB page cache: every insert would re-read index pages from the file.
    db.execute("PRAGMA theirs.cache_size = -131072")
    db.execute("BEGIN")  # the scratch only: this store is not locked meanwhile
    try:
        scratch.create()
        for lay in scratch.layouts.values():  # newest versions first: pulled, then kept
            if lay.spec.entity in entities:
                scratch.load(lay.spec.entity, read(lay.spec.entity, lay.columns, None))
        scratch.load_whole(kept)
        scratch.fill_context(read)
        scratch.build()
        db.execute("COMMIT")
    except InputError as exc:
        named = scratch.name(exc)  # before the scratch rolls back
        db.execute("ROLLBACK")
        raise InputError(f"{named}; nothing was pulled, this store is unchanged", hub) from None
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _merge(repo: Repository, scratch: Scratch, state: local.State, top: int,
           report: SyncReport, hub: str, scratch_file: Path | None = None) -> None:
    def done(merged: MergeReport) -> None:
        report.merge = merged
        local.quiet(repo, False)
        local.save_state(repo, state.hub_uid, top, report.at, report.came_in())

    try:
        # The scratch file is complete (laid out and committed) and nothing writes it
        # during the merge: read-only connections of the merge's own check its texts and
        # every span against them in threads, beside the row rules and the insert (as
        # for a colleague's file), instead of the added spans after the insert.
        uri = scratch_file.as_uri() + "?mode=ro" if scratch_file is not None else None
        report.merge = merge_attached(repo, hub, action="sync",
                                      after_begin=lambda: local.quiet(repo, True),
                                      before_commit=done, their_uri=uri)
    except InputError as exc:
        raise InputError(f"{scratch.name(exc)}; nothing was pulled, this store is unchanged",
                         hub) from None
