"""Makes store.sqlite and export.jsonl in this folder: a store of the schema before the
codebook (migrations m001-m005), written by the code of that version, with two
annotators' merged work, a trash, review decisions (accept, reject), statuses and the
audit log. Kept to test the codebook migration (tests/test_codebook_migration.py).

Run from a checkout of the version before the codebook:
    PYTHONPATH=desktop:tests python tests/data/before_codebook/make_store.py OUTDIR
"""

import sys
import tempfile
from pathlib import Path

from review_data import ART1, ART3, merged_store
from stancemark.core.adjudication import adjudicate
from stancemark.core.agreement import DISAGREE, review_units
from stancemark.formats import native_jsonl
from stancemark.store.review import ReviewStore

out = Path(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    repo = merged_store(Path(tmp))
    review = ReviewStore(repo)
    names = [repo.annotator_by_name(n).uid for n in ("ana", "ben")]
    gold = review.gold_annotator()
    for article, decision in ((ART1, "accept"), (ART3, "reject")):
        units = review_units(review.spans(names, article_uid=article), names)
        unit = next(u for u in units if u.status == DISAGREE)
        source = repo.get_annotation(unit.spans[0].uid)
        adjudicate(review, unit, decision, source if decision == "accept" else None,
                   gold_annotator_uid=gold.uid, reviewer_uid=repo.annotator.uid,
                   reviewer_name=repo.annotator.name).apply(repo)
    mine = repo.list_annotations(ART1, [names[0]])
    repo.delete_annotation(mine[-1].uid)  # one annotation in the trash
    repo.set_status(ART1, "in progress", names[0])
    native_jsonl.export(repo, out / "export.jsonl")
    repo.conn.execute("VACUUM INTO ?", [str(out / "store.sqlite")])
    repo.close()
