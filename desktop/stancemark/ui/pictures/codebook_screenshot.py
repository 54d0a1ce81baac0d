"""Make the README pictures of the codebook in the window: a custom kind `frame` tagged in
the article (its attributes under the inspector, the article's variables in their dock),
Edit ▸ Codebook…, and review mode naming a unit two analysts coded with another
intensity. Run it under a display (Xvfb with a window manager, for CI):

    python -m stancemark.ui.pictures.codebook_screenshot --dir work/ --out-dir pictures/

The codebook comes from a codebook file (CODEBOOK, applied as `stancemark codebook
import` does); the tags are the demo first pass of ui.pictures.screenshot plus a few
frames and intensities, derived deterministically so the pictures are stable.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.model import Annotation, new_uid

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from stancemark.store.repository import Repository

CODEBOOK = """\
stancemark_codebook: 1
kinds:
  - name: frame
    description: How the passage frames the issue.
    colour: "#8E6CC9"
    key: F
    attributes:
      - name: frame_type
        type: choice
        required: true
        description: The frame the passage applies.
        values: [economic, security, identity, sovereignty]
      - name: explicit
        type: boolean
        description: Does the passage name the frame outright?
  - name: stance
    attributes:
      - name: intensity
        type: integer
        min: 1
        max: 5
        description: How strongly, 1 (mild) to 5 (vehement).
article_variables:
  - name: genre
    type: choice
    values: [news, opinion, interview]
  - name: relevant
    type: boolean
"""

# (passage, frame_type) in the sample articles; a passage not found is left out
FRAMES = [("restrictions on contacts between US officials", "sovereignty"),
          ("increase tensions between Beijing and Washington", "security"),
          ("both of our great democracies", "identity"),
          ("appease the communist regime in Beijing", "identity"),
          ("relations with unofficial allies", "security"),
          ("trade deal", "economic"), ("tariffs", "economic")]


def build_store(folder: Path, who: str = "ana", tags: bool = True) -> Path:
    """The sample articles, the codebook and (`tags`) `who`'s tags with their attributes."""
    from stancemark.formats.codebook_apply import apply_specs
    from stancemark.formats.codebook_file import read_codebook
    from stancemark.formats.seed import seed
    from stancemark.store import Repository, open_store

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{who}.sqlite"
    source = folder / "codebook.yaml"
    source.write_text(CODEBOOK, encoding="utf-8")
    repo = Repository(open_store(path), who)
    seed(repo)
    if repo.codebook().kind_by_name("frame") is None:
        apply_specs(repo, *read_codebook(source), str(source))
    if tags and not repo.stats()["annotations"]:
        add_tags(repo, random.Random(3))
    repo.close()
    return path


def add_tags(repo: Repository, rng: random.Random, shift: dict[str, int] | None = None) -> None:
    """The demo pass, every stance with an intensity, the frames, each article's genre;
    `shift`: (stance quote start) -> another intensity, for a second coder."""
    from stancemark.core.errors import existing
    from stancemark.ui.pictures.screenshot import demo_annotations

    book = repo.codebook()
    frame = existing(book.kind_by_name("frame"), "kind", "frame")
    frame_type = existing(book.attribute_by_name(frame.uid, "frame_type"), "attribute", "frame_type")
    explicit = existing(book.attribute_by_name(frame.uid, "explicit"), "attribute", "explicit")
    intensity = existing(book.attribute_by_name("stance", "intensity"), "attribute", "intensity")
    genre = book.article_variables()[0]
    for i, row in enumerate(repo.list_articles()):
        text = existing(repo.get_article(row.uid), "article", row.uid).text
        for a in demo_annotations(repo, row.uid):
            if a.kind == "stance":
                level = (shift or {}).get(f"{row.uid}:{a.start}", 2 + rng.randrange(3))
                a = replace(a, attributes={intensity.uid: level})
            repo.add_annotation(replace(a, uid=new_uid()))
        for needle, value in FRAMES:
            at = text.find(needle)
            if at < 0:
                continue
            chosen = existing(frame_type.value_by_name(value), "value", value)
            repo.add_annotation(Annotation(
                new_uid(), row.uid, repo.annotator.uid, frame.uid, at, at + len(needle), needle,
                attributes={frame_type.uid: chosen.uid, explicit.uid: value == "economic"}))
        repo.set_article_variables(row.uid, {genre.uid: genre.values[i % 2].uid})


def build_pair(folder: Path) -> Path:
    """Ana's and Ben's stores (one codebook: Ben's starts as a copy of the shared base)
    merged into folder/review.sqlite; Ben gave some stances another intensity."""
    from stancemark.store import Repository, open_store
    from stancemark.store.merge import merge_store

    review = folder / "review.sqlite"
    if review.exists():
        return review
    base = build_store(folder / "base", "base", tags=False)
    for who in ("ana", "ben"):
        shutil.copy(base, folder / f"{who}.sqlite")
    rng = random.Random(3)
    ana = Repository(open_store(folder / "ana.sqlite"), "ana")
    add_tags(ana, rng)
    book = ana.codebook()
    intensity = book.attribute_by_name("stance", "intensity")
    levels = {f"{a.article_uid}:{a.start}": a.attributes.get(intensity.uid if intensity else "", 3)
              for row in ana.list_articles() for a in ana.list_annotations(row.uid)
              if a.kind == "stance"}
    ana.close()
    shift = {key: (level % 5) + 1 if i % 3 == 0 else level
             for i, (key, level) in enumerate(sorted(levels.items()))}
    ben = Repository(open_store(folder / "ben.sqlite"), "ben")
    add_tags(ben, random.Random(3), shift)
    ben.close()
    rev = Repository(open_store(review), "rev")
    for who in ("ana", "ben"):
        merge_store(rev, folder / f"{who}.sqlite", backup=False)
    rev.close()
    return review


def grab(app: QApplication, widget: QWidget, out: Path) -> bool:
    app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = widget.grab().save(str(out))
    print(f"wrote {out}" if ok else f"could not save {out}")
    return ok


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", type=Path, required=True, help="folder for the demo stores")
    p.add_argument("--out-dir", type=Path, required=True)
    p.add_argument("--size", default="1280x720")
    args = p.parse_args(argv)

    from PySide6.QtCore import QSettings, Qt, QTimer

    from stancemark.ui.window.app import application, build_window, open_repo

    app = application()
    app.setQuitOnLastWindowClosed(False)  # three windows, one after the other
    w, h = (int(x) for x in args.size.split("x"))
    results: list[bool] = []

    def window_on(store: Path, who: str, article: str) -> Any:
        repo = open_repo(store, who)
        settings = QSettings(str(store.with_suffix(".ini")), QSettings.Format.IniFormat)
        window = build_window(repo, store, settings)
        window.resize(w, h)
        target = next(r for r in repo.list_articles() if r.title.startswith(article))
        window.open_article(target.uid)
        window.show()
        return window, repo

    store = build_store(args.dir)
    window, repo = window_on(store, "ana", "Pompeo")
    window.actions_["legend"].setChecked(True)
    window.codebook.variables_dock.show()
    window.resizeDocks([window.codebook.variables_dock], [230], Qt.Orientation.Horizontal)
    frame = repo.codebook().kind_by_name("frame")
    tagged = [a for a in window.inspector.model.items if frame and a.kind == frame.uid]

    def kind_picture() -> None:
        window.view.finish_highlighting()
        if tagged:
            window.inspector.select(tagged[0].uid)
            window.view.text.centerCursor()
            window.view._end_flash()  # the resting look, not the flash
        results.append(grab(app, window, args.out_dir / "codebook-kind.png"))
        window.codebook.open_editor()
        dialog = window.codebook.editor_dialog
        if dialog is not None and frame is not None:
            dialog.kinds.setCurrentRow([k.uid for k in repo.codebook().kinds].index(frame.uid))
            dialog.attrs.setCurrentRow(0)
        QTimer.singleShot(400, editor_picture)

    def editor_picture() -> None:
        dialog = window.codebook.editor_dialog
        results.append(dialog is not None and grab(app, dialog, args.out_dir / "codebook-editor.png"))
        if dialog is not None:
            dialog.close()
        window.close()
        repo.close()
        QTimer.singleShot(0, review_picture)

    def review_picture() -> None:
        rev_store = build_pair(args.dir / "pair")
        rev, rev_repo = window_on(rev_store, "rev", "Pompeo")
        rev.codebook.variables_dock.hide()  # the reviewer's own variables: not the point here
        rev.review.set_active(True)
        rev.resizeDocks([rev.review.dock], [int(w * 0.8)], Qt.Orientation.Horizontal)

        def shoot() -> None:
            rev.resizeDocks([rev.review.dock], [int(w * 0.78)], Qt.Orientation.Horizontal)
            panel = rev.review.panel
            row = next((i for i in range(panel.list.count())
                        if "intensity:" in panel.list.item(i).text()), 0)
            panel.list.setCurrentRow(row)
            results.append(grab(app, rev, args.out_dir / "codebook-review.png"))
            rev.close()
            rev_repo.close()
            app.exit(0 if all(results) else 1)

        QTimer.singleShot(800, shoot)

    QTimer.singleShot(800, kind_picture)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
