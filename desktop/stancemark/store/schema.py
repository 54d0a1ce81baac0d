"""Schema, created and upgraded by sqlite-utils Migrations (one transaction per step).

Never edit a migration that has shipped: add a new one. The README documents the
resulting tables for readers using datasette, DuckDB, pandas or R.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATION_SET = "stancemark"
migrations = Migrations(MIGRATION_SET)

# Marks a file as a Stancemark store (PRAGMA application_id), checked before use.
APPLICATION_ID = 0x53544D4B  # "STMK"


@migrations()
def m001_initial(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE store_info (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            added_at TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
            deleted_at TEXT
        );
        CREATE TABLE annotators (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            colour TEXT NOT NULL DEFAULT '',
            is_gold INTEGER NOT NULL DEFAULT 0 CHECK (is_gold IN (0, 1))
        );
        CREATE TABLE actors (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN
                ('person', 'state', 'government', 'organisation', 'group', 'other')),
            country TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE TABLE actor_aliases (
            id INTEGER PRIMARY KEY,
            actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
            alias TEXT NOT NULL CHECK (length(trim(alias)) > 0),
            UNIQUE (actor_id, alias)
        );
        CREATE INDEX actor_aliases_alias ON actor_aliases(alias COLLATE NOCASE);
        CREATE TABLE topics (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            description TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            annotator_id INTEGER NOT NULL REFERENCES annotators(id),
            kind TEXT NOT NULL CHECK (kind IN ('actor', 'date', 'stance')),
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            quote TEXT NOT NULL,
            actor_id INTEGER REFERENCES actors(id),
            date_value TEXT,
            date_granularity TEXT CHECK (date_granularity IS NULL OR date_granularity IN
                ('day', 'month', 'year', 'interval')),
            holder_id INTEGER REFERENCES actors(id),
            target_topic_id INTEGER REFERENCES topics(id),
            target_actor_id INTEGER REFERENCES actors(id),
            polarity TEXT CHECK (polarity IS NULL OR polarity IN ('support', 'oppose', 'neutral')),
            stance_date TEXT,
            note TEXT NOT NULL DEFAULT '',
            meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            CHECK (kind != 'actor' OR actor_id IS NOT NULL),
            CHECK (kind != 'date' OR (date_value IS NOT NULL AND date_granularity IS NOT NULL)),
            CHECK (kind != 'stance' OR polarity IS NOT NULL),
            CHECK (target_topic_id IS NULL OR target_actor_id IS NULL)
        );
        CREATE INDEX annotations_article ON annotations(article_id, annotator_id, start);
        CREATE INDEX annotations_actor ON annotations(actor_id);
        CREATE INDEX annotations_holder ON annotations(holder_id);

        -- Offsets are code points; SQLite's length() and substr() count characters,
        -- so the store itself refuses a span past the end or a quote that does not match.
        CREATE TRIGGER annotations_span_insert BEFORE INSERT ON annotations
        BEGIN
            SELECT RAISE(ABORT, 'annotation span past the end of the article text')
            WHERE NEW."end" > (SELECT length(text) FROM articles WHERE id = NEW.article_id);
            SELECT RAISE(ABORT, 'annotation quote does not match the article text')
            WHERE NEW.quote IS NOT substr((SELECT text FROM articles WHERE id = NEW.article_id),
                                          NEW.start + 1, NEW."end" - NEW.start);
        END;
        CREATE TRIGGER annotations_span_update BEFORE UPDATE OF start, "end", quote, article_id
            ON annotations
        BEGIN
            SELECT RAISE(ABORT, 'annotation span past the end of the article text')
            WHERE NEW."end" > (SELECT length(text) FROM articles WHERE id = NEW.article_id);
            SELECT RAISE(ABORT, 'annotation quote does not match the article text')
            WHERE NEW.quote IS NOT substr((SELECT text FROM articles WHERE id = NEW.article_id),
                                          NEW.start + 1, NEW."end" - NEW.start);
        END;
        -- Text is immutable once an annotation points into it.
        CREATE TRIGGER articles_text_immutable BEFORE UPDATE OF text ON articles
        WHEN EXISTS (SELECT 1 FROM annotations WHERE article_id = OLD.id)
        BEGIN
            SELECT RAISE(ABORT, 'article text cannot change once annotated');
        END;

        CREATE TABLE article_status (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            annotator_id INTEGER NOT NULL REFERENCES annotators(id),
            status TEXT NOT NULL CHECK (status IN ('new', 'in progress', 'done')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (article_id, annotator_id)
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            annotator_uid TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            uid TEXT NOT NULL,
            before TEXT CHECK (before IS NULL OR json_valid(before)),
            after TEXT CHECK (after IS NULL OR json_valid(after))
        );
        CREATE INDEX audit_log_uid ON audit_log(uid);
        """,
    )
    db.table("articles").enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True,
                              tokenize="unicode61 remove_diacritics 2")


@migrations()
def m002_export_indexes(db: Database) -> None:
    """Exports, agreement and the article list filter by annotator, kind and date."""
    _run(db, """
        CREATE INDEX annotations_annotator_kind ON annotations(annotator_id, kind);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX article_status_annotator ON article_status(annotator_id, status);
        """)


@migrations()
def m003_review_decisions(db: Database) -> None:
    """Review decisions: per unit of disagreement, accept one version into the gold
    layer, accept it edited, or reject. Rows name articles and annotations by uid (not
    row id) so they merge between stores like everything else."""
    _run(db, """
        CREATE TABLE review_decisions (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            article_uid TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('actor', 'date', 'stance')),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('accept', 'edit', 'reject')),
            source_uids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(source_uids)),
            chosen_annotator_uid TEXT,
            gold_uid TEXT,
            reviewer_uid TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX review_decisions_article ON review_decisions(article_uid);
        """)


@migrations()
def m004_live_articles_index(db: Database) -> None:
    """Counting and paging the live (not trashed) articles read deleted_at, which sits
    after the text in each row: every count walked the whole text of the store (0.3 s
    at 100,000 articles, twice per window start). A partial index answers from ids."""
    _run(db, "CREATE INDEX articles_live ON articles(id) WHERE deleted_at IS NULL;")


_SPAN_CHECKS = """
    BEGIN
        SELECT RAISE(ABORT, 'annotation span past the end of the article text')
        WHERE length((SELECT substr(text, NEW.start + 1, NEW."end" - NEW.start)
                      FROM articles WHERE id = NEW.article_id)) < NEW."end" - NEW.start;
        SELECT RAISE(ABORT, 'annotation quote does not match the article text')
        WHERE NEW.quote IS NOT substr((SELECT text FROM articles WHERE id = NEW.article_id),
                                      NEW.start + 1, NEW."end" - NEW.start);
    END;"""


@migrations()
def m005_span_trigger_without_length(db: Database) -> None:
    """The span triggers compared NEW.end with length(text): counting the characters of
    the whole article on every tag (1.1 ms on a 1 MB article, 10% of the tag budget).
    substr() stops at the span: a span runs past the end exactly when the substring is
    shorter than end - start ("end" > start is a CHECK). Same checks, same messages."""
    _run(db, f"""
        DROP TRIGGER annotations_span_insert;
        DROP TRIGGER annotations_span_update;
        CREATE TRIGGER annotations_span_insert BEFORE INSERT ON annotations{_SPAN_CHECKS}
        CREATE TRIGGER annotations_span_update BEFORE UPDATE OF start, "end", quote, article_id
            ON annotations{_SPAN_CHECKS}
        """)


@migrations()
def m006_discourse_indexes(db: Database) -> None:
    """The stance and mention tables filter and count the live stances (600,000 in the
    benchmark's store) on every filter change. Without these, each scan read the full
    annotation rows, and the stance date (else the article's date) looked up article
    rows that hold the whole text. Covering partial indexes hold every filterable
    column of the live stances and mentions, in row order; the articles' dates get an
    index of their own."""
    _run(db, """
        CREATE INDEX annotations_stance_cols ON annotations(id, holder_id, polarity,
            target_actor_id, target_topic_id, annotator_id, article_id, stance_date)
            WHERE kind = 'stance' AND deleted_at IS NULL;
        CREATE INDEX annotations_mention_cols ON annotations(id, actor_id, annotator_id,
            article_id) WHERE kind = 'actor' AND deleted_at IS NULL;
        CREATE INDEX articles_live_published ON articles(published) WHERE deleted_at IS NULL;
        """)


@migrations()
def m007_codebook(db: Database) -> None:
    """Kinds are data: the codebook's tables, the built-in kinds as its first rows,
    annotations.attributes and article_variables, and the kind CHECKs of annotations
    and review_decisions replaced by references to the codebook (store/codebook_schema.py)."""
    from stancemark.store.codebook_schema import migrate

    migrate(db, _run)


@migrations()
def m008_suggestion_decisions(db: Database) -> None:
    """Decisions on suggestions: per article and annotator, a suggestion (its key: kind,
    span, actor or date value; and the alias that matched) accepted or rejected. A
    rejected one is not proposed again to that annotator in that article; the counts
    per alias let an alias the team keeps rejecting stop being proposed. Row ids refer
    to the article, annotator and actor (the merge and the hub translate them, as for
    annotations); an undone decision goes to the trash (deleted_at), so the undo
    reaches colleagues' stores too."""
    _run(db, """
        CREATE TABLE suggestion_decisions (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            annotator_id INTEGER NOT NULL REFERENCES annotators(id),
            kind TEXT NOT NULL REFERENCES codebook_kinds(uid),
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            actor_id INTEGER REFERENCES actors(id),
            date_value TEXT,
            alias TEXT NOT NULL DEFAULT '',
            decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
            annotation_uid TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX suggestion_decisions_article
            ON suggestion_decisions(article_id, annotator_id);
        CREATE INDEX suggestion_decisions_alias ON suggestion_decisions(alias, decision)
            WHERE deleted_at IS NULL AND alias != '';
        """)


@migrations()
def m009_actor_colours(db: Database) -> None:
    """A colour per actor that the user can set ('' = the automatic tint)."""
    _run(db, "ALTER TABLE actors ADD COLUMN colour TEXT NOT NULL DEFAULT ''")


def _run(db: Database, script: str) -> None:
    """Run a multi-statement script inside the migration's transaction.

    sqlite3's executescript() would COMMIT first; splitting on the statement
    terminator keeps the step atomic (triggers are kept whole).
    """
    import sqlite3

    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            db.conn.execute(buf)
            buf = ""
    if buf.strip():
        db.conn.execute(buf)



def migration_names() -> list[str]:
    """Names of every migration this version of the code knows, in order."""
    return [m.name for m in migrations.pending(Database(memory=True, execute_plugins=False))]
