"""A writer the crash harness kills with SIGKILL at random moments.

    python writer.py annotate STORE SEED COUNT

Applies annotation commands (add, and now and then delete) through the
Repository, one transaction each, and prints `add UID` / `del UID` on stdout
only after the commit returned, so every printed line is a promise that the
change is on disk. The harness checks those promises after the kill.
"""

from __future__ import annotations

import random
import sys

from stancemark.core.commands import AddAnnotation, DeleteAnnotation
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store


def promise(action: str, uid: str) -> None:
    """One write per line (atomic on a pipe), so a kill never cuts a promise in half,
    even with PYTHONUNBUFFERED (where print() writes each piece separately)."""
    sys.stdout.write(f"{action} {uid}\n")
    sys.stdout.flush()


def annotate(store: str, seed: int, count: int) -> None:
    rng = random.Random(seed)
    repo = Repository(open_store(store), f"writer-{seed % 7}")
    articles = [a for a in repo.iter_articles()]
    actors = [a.uid for a in repo.list_actors()]
    added: list[str] = []
    for _ in range(count):
        if added and rng.random() < 0.15:
            uid = added.pop(rng.randrange(len(added)))
            DeleteAnnotation(uid).apply(repo)
            promise("del", uid)
            continue
        art = rng.choice(articles)
        start = rng.randrange(0, len(art.text) - 40)
        end = start + rng.randint(1, 40)
        kind = rng.choice(["actor", "stance"])
        ann = Annotation(uid="", article_uid=art.uid, annotator_uid="", kind=kind, start=start,
                         end=end, quote=art.text[start:end],
                         actor_uid=rng.choice(actors) if kind == "actor" else None,
                         holder_uid=rng.choice(actors) if kind == "stance" else None,
                         polarity="support" if kind == "stance" else None,
                         note="crash harness " * rng.randint(0, 50))
        cmd = AddAnnotation(ann)
        cmd.apply(repo)
        added.append(cmd.annotation.uid)
        promise("add", cmd.annotation.uid)
    repo.close()


if __name__ == "__main__":
    mode, store, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if mode == "annotate":
        annotate(store, seed, count)
    else:
        raise SystemExit(f"unknown mode {mode}")
