"""The hub's schema in PostgreSQL: migrations, members and who may write what.

One table holds every synced row, `stancemark_hub.rows`: the entity (annotation,
article, actor ...), its key (uid; an article's text hash), the annotator who owns it,
its edit time, the store it came from, its columns as JSON (references to other rows
by their keys) and a hub-side sequence number. Rows are described by the client's table
list (store.hub.tables), not by hub columns, so a new table or column of the store (the
codebook's) syncs without a hub schema change; a new *entity* needs one row in
`entities` saying who may write it.

Who may write what is PostgreSQL's business, not the client's: row-level security on
`rows` calls `may_write`, which reads the member's entry (`members`, keyed by the login
role) and the entity's rule (`entities`):
- annotator: each member writes their own annotator row; reviewers the gold layer's;
- own: annotations and statuses, written by the annotator who owns them (owner = the
  member's annotator, whose annotator row is on the hub) or, for the gold layer, by a
  reviewer;
- review: review decisions, by reviewers, as themselves;
- shared: articles and the registers: anyone adds, as themselves; changing a row is for
  the member who added it or members allowed to edit registers (`members.registers`);
- editors: only members allowed to edit registers (for a codebook a team keeps closed).
Nobody but the hub's owner deletes.

Sequence numbers follow commit order: the trigger that numbers a row first takes a
transaction-wide advisory lock, so writers take turns and a reader who has seen number
N has seen every committed row below N (no lower number can commit later).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from stancemark.core.model import GOLD_ANNOTATOR, new_uid, now_iso
from stancemark.store.hub.connection import HUB_SCHEMA, HubError, connect, reason, safe_url

APPLICATION = "stancemark-hub"
SEQ_LOCK = 0x53544D4B  # the advisory lock's key ("STMK")

# The gold layer's annotator is named "gold" (core.model.GOLD_ANNOTATOR); the advisory
# lock's key is SEQ_LOCK.
_M001 = """
CREATE SCHEMA stancemark_hub;
CREATE TABLE stancemark_hub.info (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE stancemark_hub.migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE stancemark_hub.members (
    role name PRIMARY KEY,
    annotator text NOT NULL UNIQUE CHECK (annotator <> 'gold'),
    reviewer boolean NOT NULL DEFAULT false,
    registers boolean NOT NULL DEFAULT false,
    added_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE stancemark_hub.entities (
    entity text PRIMARY KEY,
    rule text NOT NULL CHECK (rule IN ('annotator', 'own', 'review', 'shared', 'editors')));
INSERT INTO stancemark_hub.entities VALUES
    ('annotator', 'annotator'), ('annotation', 'own'), ('status', 'own'),
    ('decision', 'review'), ('article', 'shared'), ('actor', 'shared'), ('alias', 'shared'),
    ('topic', 'shared');
CREATE SEQUENCE stancemark_hub.seq;
CREATE TABLE stancemark_hub.rows (
    entity text NOT NULL REFERENCES stancemark_hub.entities,
    key text NOT NULL,
    owner text NOT NULL,
    edited text NOT NULL DEFAULT '',
    origin text NOT NULL DEFAULT '',
    data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    seq bigint NOT NULL,
    pushed_by name NOT NULL,
    pushed_at timestamptz NOT NULL,
    PRIMARY KEY (entity, key));
CREATE INDEX rows_seq ON stancemark_hub.rows (seq);

CREATE FUNCTION stancemark_hub.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Writers take turns (see the module notes): numbers follow commit order.
    PERFORM pg_advisory_xact_lock(1398033739);
    NEW.seq := nextval('stancemark_hub.seq');
    NEW.pushed_by := current_user;
    NEW.pushed_at := now();
    IF TG_OP = 'UPDATE' THEN
        -- A row keeps its identity and its owner whoever changes it.
        NEW.entity := OLD.entity;
        NEW.key := OLD.key;
        NEW.owner := OLD.owner;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER rows_stamp BEFORE INSERT OR UPDATE ON stancemark_hub.rows
    FOR EACH ROW EXECUTE FUNCTION stancemark_hub.stamp();

CREATE FUNCTION stancemark_hub.may_write(p_entity text, p_key text, p_owner text,
                                       p_data jsonb, p_update boolean)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
    m stancemark_hub.members;
    r text;
BEGIN
    SELECT * INTO m FROM stancemark_hub.members WHERE role = current_user;
    IF NOT FOUND THEN RETURN false; END IF;
    SELECT rule INTO r FROM stancemark_hub.entities WHERE entity = p_entity;
    IF p_data ? 'uid' AND p_key IS DISTINCT FROM p_data->>'uid' AND r <> 'shared' THEN
        RETURN false;
    END IF;
    IF r = 'annotator' THEN
        RETURN p_data->>'name' = p_owner AND (
            (p_owner = m.annotator AND p_data->>'is_gold' = '0')
            OR (p_owner = 'gold' AND p_data->>'is_gold' = '1' AND m.reviewer));
    ELSIF r = 'own' THEN
        RETURN (p_owner = m.annotator OR (p_owner = 'gold' AND m.reviewer))
            AND EXISTS (SELECT 1 FROM stancemark_hub.rows a WHERE a.entity = 'annotator'
                        AND a.key = p_data->>'annotator_id' AND a.owner = p_owner);
    ELSIF r = 'review' THEN
        RETURN m.reviewer AND p_owner = m.annotator;
    ELSIF r = 'shared' THEN
        RETURN p_owner = m.annotator OR (p_update AND m.registers);
    ELSIF r = 'editors' THEN
        RETURN m.registers;
    END IF;
    RETURN false;
END $$;

ALTER TABLE stancemark_hub.rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON stancemark_hub.rows FOR SELECT USING (true);
CREATE POLICY members_add ON stancemark_hub.rows FOR INSERT
    WITH CHECK (stancemark_hub.may_write(entity, key, owner, data, false));
CREATE POLICY members_change ON stancemark_hub.rows FOR UPDATE
    USING (stancemark_hub.may_write(entity, key, owner, data, true))
    WITH CHECK (stancemark_hub.may_write(entity, key, owner, data, true));
"""

# The codebook's entities: shared like the registers; article variables are each
# annotator's own, like statuses.
_M002 = """
INSERT INTO stancemark_hub.entities VALUES
    ('codebook_kind', 'shared'), ('codebook_attribute', 'shared'),
    ('codebook_value', 'shared'), ('article_variable', 'own');
"""

# The same rules as one SQL expression: PostgreSQL inlines it into the policies, so a
# push of 10,000 rows checks them in the executor (0.7 s as PL/pgSQL, two queries a row).
_M003 = """
CREATE OR REPLACE FUNCTION stancemark_hub.may_write(p_entity text, p_key text, p_owner text,
                                                   p_data jsonb, p_update boolean)
RETURNS boolean LANGUAGE sql STABLE AS $$
SELECT coalesce((
    SELECT (NOT (p_data ? 'uid') OR p_key = p_data->>'uid' OR e.rule = 'shared')
       AND CASE e.rule
           WHEN 'annotator' THEN p_data->>'name' = p_owner AND (
               (p_owner = m.annotator AND p_data->>'is_gold' = '0')
               OR (p_owner = 'gold' AND p_data->>'is_gold' = '1' AND m.reviewer))
           WHEN 'own' THEN (p_owner = m.annotator OR (p_owner = 'gold' AND m.reviewer))
               AND EXISTS (SELECT 1 FROM stancemark_hub.rows a WHERE a.entity = 'annotator'
                           AND a.key = p_data->>'annotator_id' AND a.owner = p_owner)
           WHEN 'review' THEN m.reviewer AND p_owner = m.annotator
           WHEN 'shared' THEN p_owner = m.annotator OR (p_update AND m.registers)
           WHEN 'editors' THEN m.registers
           ELSE false END
    FROM stancemark_hub.members m, stancemark_hub.entities e
    WHERE m.role = current_user AND e.entity = p_entity), false)
$$;
"""

# Decisions on suggestions: each annotator's own, like statuses (the row's annotator_id
# names its owner's annotator row).
_M004 = """
INSERT INTO stancemark_hub.entities VALUES ('suggestion_decision', 'own');
"""

# Never edit a migration that has shipped: add one.
MIGRATIONS: tuple[tuple[str, str], ...] = (("h001_rows_members_policies", _M001),
                                           ("h002_codebook_entities", _M002),
                                           ("h003_rules_as_sql", _M003),
                                           ("h004_suggestion_decisions", _M004))
_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@dataclass(frozen=True)
class Member:
    role: str
    annotator: str
    reviewer: bool
    registers: bool


@dataclass(frozen=True)
class NewMember:
    """What to hand the person: where the hub is, their login and their password."""

    member: Member
    url: str
    password: str | None  # None: the role existed and kept its password

    def handout(self) -> str:
        what = "reviewer" if self.member.reviewer else "analyst"
        lines = [f"{self.member.role} may now sync with this hub as {what} "
                 f"(annotator name “{self.member.annotator}”"
                 f"{', may edit the registers' if self.member.registers else ''}).",
                 "Hand this to them (the password over a separate, private channel):",
                 f"  hub:       {self.url}"]
        if self.password:
            lines.append(f"  password:  {self.password}")
        else:
            lines.append("  password:  unchanged (the role already existed)")
        lines += ["They save the password once, in PostgreSQL's own password file:",
                  f"  stancemark hub password '{self.url}'",
                  "and sync with:",
                  f"  stancemark --annotator {self.member.annotator} sync '{self.url}'"]
        return "\n".join(lines)


def applied_migrations(cur: Any) -> list[str] | None:
    """Names of the hub steps applied, None when the database holds no hub."""
    cur.execute("SELECT to_regclass(%s), to_regclass(%s)",
                ["stancemark_hub.migrations", "stancemark_hub.info"])
    migrations_table, info_table = cur.fetchone()
    if migrations_table is None:
        return None
    if info_table is None:
        raise HubError("schema stancemark_hub is not a Stancemark hub's (no info table)")
    cur.execute("SELECT value FROM stancemark_hub.info WHERE key = 'application'")
    row = cur.fetchone()
    if row is None or row[0] != APPLICATION:
        raise HubError("schema stancemark_hub belongs to another application")
    cur.execute("SELECT name FROM stancemark_hub.migrations ORDER BY name")
    return [r[0] for r in cur.fetchall()]


def check_version(cur: Any, url: str) -> None:
    """Refuse a database that is not a hub, a newer hub, or one not yet upgraded."""
    applied = applied_migrations(cur)
    where = f"hub {safe_url(url)}"
    if applied is None:
        raise HubError(f"{where}: not a Stancemark hub (its owner creates one with "
                       "`stancemark hub init URL`)")
    known = [name for name, _ in MIGRATIONS]
    newer = [n for n in applied if n not in known]
    if newer:
        raise HubError(f"{where}: written by a newer Stancemark (hub schema step {newer[-1]!r}); "
                       "upgrade Stancemark to sync with it")
    if len(applied) < len(known):
        raise HubError(f"{where}: its schema is older than this Stancemark; its owner upgrades "
                       "it with `stancemark hub init URL`")


def _foreign_tables(cur: Any) -> list[str]:
    cur.execute("""SELECT table_schema || '.' || table_name FROM information_schema.tables
                   WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
                     AND table_schema NOT LIKE 'pg\\_%%' AND table_schema <> %s
                   ORDER BY 1 LIMIT 3""", [HUB_SCHEMA])
    return [r[0] for r in cur.fetchall()]


def init_hub(url: str, *, registers: str = "analysts") -> str:
    """Create (or upgrade) the hub's schema in the database at `url`, connected as its
    owner. Returns a one-line summary. Refuses a database holding another application's
    tables, a schema of that name that is not a hub's, and a newer hub."""
    if registers not in ("analysts", "reviewers"):
        raise HubError(f"--registers {registers!r}: use analysts or reviewers")
    where = f"hub {safe_url(url)}"
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            try:
                applied = applied_migrations(cur)
            except HubError as exc:
                raise HubError(f"{where}: {exc}; nothing was changed") from None
            if applied is None:
                cur.execute("SELECT to_regnamespace(%s)", [HUB_SCHEMA])
                if cur.fetchone()[0] is not None:
                    raise HubError(f"{where}: schema stancemark_hub exists but is no hub's; "
                                   "nothing was changed")
                foreign = _foreign_tables(cur)
                if foreign:
                    raise HubError(f"{where}: the database holds another application's tables "
                                   f"({', '.join(foreign)}); give the hub an empty database; "
                                   "nothing was changed")
                applied = []
            known = [name for name, _ in MIGRATIONS]
            newer = [n for n in applied if n not in known]
            if newer:
                raise HubError(f"{where}: written by a newer Stancemark (hub schema step "
                               f"{newer[-1]!r}); nothing was changed")
            conn.commit()
            done = 0
            for name, script in MIGRATIONS:
                if name in applied:
                    continue
                with conn.transaction():
                    cur.execute(script)
                    if not applied and done == 0:
                        cur.executemany(
                            "INSERT INTO stancemark_hub.info (key, value) VALUES (%s, %s)",
                            [("application", APPLICATION), ("hub_uid", new_uid()),
                             ("created_at", now_iso()), ("registers", registers)])
                        # Only members connect (add-analyst grants it to each).
                        cur.execute("SELECT current_database()")
                        _revoke_public(cur, cur.fetchone()[0])
                    cur.execute("INSERT INTO stancemark_hub.migrations (name) VALUES (%s)", [name])
                done += 1
    except HubError:
        raise
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):
            raise HubError(f"{where}: {reason(exc)}; nothing was changed") from None
        raise
    finally:
        conn.close()
    if done == 0:
        return f"{where}: already up to date ({len(MIGRATIONS)} schema step(s))"
    return f"{where}: hub schema ready ({done} step(s) applied)"


def _revoke_public(cur: Any, database: str) -> None:
    from psycopg import sql

    statement = sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database))
    cur.execute(statement)


def add_member(url: str, role: str, *, reviewer: bool, registers: bool | None = None,
               annotator: str | None = None, new_password: bool = False) -> NewMember:
    """Create the login role (if new) with a random password, grant it what a member
    needs, and record its annotator name and rights in `members`."""
    import secrets

    from psycopg import sql

    if not _ROLE.fullmatch(role):
        raise HubError(f"{role!r}: a member name is lower-case letters, digits and _ "
                       "(a PostgreSQL role name), starting with a letter")
    annotator = (annotator or role).strip()
    if annotator == GOLD_ANNOTATOR:
        raise HubError(f"“{GOLD_ANNOTATOR}” is the gold layer, not a person; choose another name")
    where = f"hub {safe_url(url)}"
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            check_version(cur, url)
            if registers is None:
                cur.execute("SELECT value FROM stancemark_hub.info WHERE key = 'registers'")
                row = cur.fetchone()
                registers = reviewer or (row is not None and row[0] == "analysts")
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            exists = cur.fetchone() is not None
            password = None
            if not exists or new_password:
                password = secrets.token_urlsafe(18)
                # Sent already hashed (SCRAM): the server and its logs never see it.
                verifier = conn.pgconn.encrypt_password(password.encode(), role.encode(),
                                                        b"scram-sha-256").decode()
                verb = "ALTER" if exists else "CREATE"
                # DDL takes no parameters: psycopg's sql module quotes the role name as
                # an identifier and the verifier as a literal.
                statement = sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(verifier))
                cur.execute(statement)
            cur.execute("SELECT current_database()")
            database = cur.fetchone()[0]
            ident = sql.Identifier(role)
            for grant in (
                    sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                        sql.Identifier(database), ident),
                    sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(HUB_SCHEMA),
                                                                   ident),
                    sql.SQL("GRANT SELECT ON {s}.info, {s}.migrations, {s}.members, "
                            "{s}.entities TO {r}").format(s=sql.Identifier(HUB_SCHEMA), r=ident),
                    sql.SQL("GRANT SELECT, INSERT, UPDATE ON {s}.rows TO {r}").format(
                        s=sql.Identifier(HUB_SCHEMA), r=ident),
                    sql.SQL("GRANT USAGE ON SEQUENCE {s}.seq TO {r}").format(
                        s=sql.Identifier(HUB_SCHEMA), r=ident)):
                cur.execute(grant)
            try:
                cur.execute("""INSERT INTO stancemark_hub.members (role, annotator, reviewer,
                                    registers) VALUES (%s, %s, %s, %s)
                                ON CONFLICT (role) DO UPDATE SET annotator = excluded.annotator,
                                    reviewer = excluded.reviewer,
                                    registers = excluded.registers""",
                            [role, annotator, reviewer, registers])
            except Exception as exc:
                if "members_annotator_key" in str(exc):
                    raise HubError(f"{where}: annotator “{annotator}” belongs to another "
                                   "member already; nothing was changed") from None
                raise
        conn.commit()
    except HubError:
        raise
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):
            raise HubError(f"{where}: {reason(exc)}; nothing was changed") from None
        raise
    finally:
        conn.close()
    member_url = _url_for(url, role)
    return NewMember(Member(role, annotator, reviewer, bool(registers)), member_url, password)


def _url_for(url: str, role: str) -> str:
    """The hub's URL with the member's login instead of the owner's, no password."""
    from urllib.parse import urlsplit, urlunsplit

    url = safe_url(url)
    if "://" not in url:
        import re as _re

        rest = _re.sub(r"\buser\s*=\s*\S+\s*", "", url).strip()
        return f"user={role} {rest}".strip()
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"{role}@{host}", parts.path, parts.query, parts.fragment))
