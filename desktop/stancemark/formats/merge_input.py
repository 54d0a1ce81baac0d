"""What `stancemark merge PATH` and File > Merge accept: a store file or a native JSONL export.

A JSONL export is first imported into a scratch store (so every line is validated
before anything touches mine), then merged like a store file by store.merge.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from stancemark.core.errors import StancemarkError
from stancemark.formats import native_jsonl
from stancemark.store import Repository, open_store
from stancemark.store.merge import MergeReport, Progress, merge_store


def merge_path(repo: Repository, path: Path | str, *, backup: bool = True,
               progress: Progress | None = None) -> MergeReport:
    """Merge the store file or native JSONL export at `path` into `repo`."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise StancemarkError(f"{path}: no such file")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(b"SQLite format 3"):
        return merge_store(repo, path, backup=backup, progress=progress)
    if path.suffix.lower() == ".jsonl" or head.lstrip(b"\xef\xbb\xbf \n").startswith(b"{"):
        with tempfile.TemporaryDirectory(prefix="stancemark-merge-") as tmp:
            scratch_path = Path(tmp) / "theirs.sqlite"
            scratch = Repository(open_store(scratch_path), repo.annotator.name)
            try:
                native_jsonl.import_paths(scratch, [path], None)
            finally:
                scratch.close()
            report = merge_store(repo, scratch_path, backup=backup, progress=progress)
        report.source = str(path)
        return report
    raise StancemarkError(f"{path}: neither a Stancemark store nor a native JSONL export")
