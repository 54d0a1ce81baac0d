"""Review mode: two or more annotators' tags on one text, their units of disagreement
walked with N / P, each settled into the gold layer (accept, edit, reject).

The text is the window's own ArticleView class with a different index: every span is
a background in its annotator's colour (overlaps mix and turn bold), and each unit's
status is an underline: dashed vermillion for a disagreement, dotted grey for a unit
only one annotator marked, none where they agree. Decisions are core.adjudication
commands run through the session (so Ctrl+Z undoes them).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.adjudication import adjudicate
from stancemark.core.agreement import AGREE, DISAGREE, ReviewUnit, readable_reasons, review_units
from stancemark.core.errors import existing
from stancemark.core.palette import POLARITY_COLOURS, annotator_colour
from stancemark.store.review import ReviewStore
from stancemark.ui.article.article_view import ArticleView
from stancemark.ui.review.unit_rows import (
    FILTERS,
    STATES,
    attribute_differences,
    keeps,
    progress_text,
    row_text,
    version_text,
)
from stancemark.ui.review.versions import VersionsPanel, version_fields

if TYPE_CHECKING:
    from stancemark.ui.window.session import Session

STATUS_LAYERS = {DISAGREE: ("stance", POLARITY_COLOURS["oppose"]),
                 "single": ("stance", POLARITY_COLOURS["neutral"])}


class ReviewPanel(QWidget):
    """The review dock's content; decisions run through the session."""

    decided = Signal()  # after every decision, undo or redo that touched gold

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.repo = session.repo
        self.review = ReviewStore(self.repo)
        self.annotator_uids: list[str] = []
        self.colours: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.article_uid: str | None = None
        self.units: list[ReviewUnit] = []
        self.todo: list[int] = []  # indexes into units: disagreements and single marks
        self.decided_sources: set[str] = set()

        self.chooser = QListWidget()
        self.chooser.setFlow(QListWidget.Flow.LeftToRight)
        self.chooser.setFixedHeight(self.fontMetrics().height() + 14)
        self.chooser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chooser.setToolTip("Annotators to compare (tick two or more)")
        self.chooser.itemChanged.connect(self._chooser_changed)
        self.view = ArticleView()
        self.view.text.describe = self.describe
        self.versions = VersionsPanel()  # the current unit's versions side by side
        self.versions.take.connect(self.accept)
        self.list = QListWidget()
        self.list.setObjectName("review_units")
        self.list.currentRowChanged.connect(self._row_changed)
        self.progress = QLabel()
        self.progress.setObjectName("review_progress")
        self.progress.setWordWrap(True)
        self.filter = QComboBox()
        self.filter.setObjectName("review_filter")
        self.filter.setToolTip("Show the units of one kind of (dis)agreement")
        for key, label in FILTERS.items():
            self.filter.addItem(label, key)
        self.filter.currentIndexChanged.connect(lambda _: self._refresh_list())
        self.buttons = QHBoxLayout()
        self.accept_buttons: dict[str, QPushButton] = {}
        self.edit_button = QPushButton("&Edit into gold…")
        self.edit_button.clicked.connect(self.edit_current)
        self.reject_button = QPushButton("&Reject")
        self.reject_button.clicked.connect(self.reject)
        self.reopen_button = QPushButton("Re&open")
        self.reopen_button.setToolTip("Take back the decision on this unit, whoever made it "
                                      "(here, or `stancemark settle`): key O; Ctrl+Z undoes")
        self.reopen_button.clicked.connect(self.reopen)
        self.agreed_button = QPushButton("Accept all a&greed")
        self.agreed_button.setToolTip("Put every unit where all annotators agree into gold")
        self.agreed_button.clicked.connect(self.accept_agreed)

        lower = QWidget()
        lv = QVBoxLayout(lower)
        lv.setContentsMargins(4, 4, 4, 4)
        head = QHBoxLayout()
        head.addWidget(self.progress, 1)
        head.addWidget(self.filter)
        lv.addLayout(head)
        lv.addWidget(self.list, 1)
        lv.addLayout(self.buttons)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setObjectName("review_text_versions")
        top.addWidget(self.view)
        top.addWidget(self.versions)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        self.top = top
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("review_split")
        split.addWidget(top)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chooser)
        layout.addWidget(split, 1)

        for key, slot in (("N", lambda: self.step(1)), ("P", lambda: self.step(-1)),
                          ("R", self.reject), ("E", self.edit_current), ("O", self.reopen)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        for k in range(1, 10):
            sc = QShortcut(QKeySequence(str(k)), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda k=k: self._accept_nth(k - 1))
        self.reload_annotators()

    # ------------------------------------------------------------ annotators
    def reload_annotators(self) -> None:
        keep = set(self.annotator_uids)
        anns = self.review.annotators_with_annotations()
        self.names = {a.uid: a.name for a in anns}
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for a in anns:
            item = QListWidgetItem(a.name)
            item.setData(Qt.ItemDataRole.UserRole, a.uid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = a.uid in keep if keep else True
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.chooser.addItem(item)
        self.chooser.blockSignals(False)
        self._chooser_changed()

    def _chooser_changed(self, *_: Any) -> None:
        uids = [self.chooser.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.chooser.count())
                if self.chooser.item(i).checkState() == Qt.CheckState.Checked]
        self.annotator_uids = uids
        # Colours by position among the chosen: two colleagues' stores may both have
        # given their first annotator the same colour.
        self.colours = {u: annotator_colour(i) for i, u in enumerate(uids)}
        for i in range(self.chooser.count()):
            item = self.chooser.item(i)
            colour = self.colours.get(item.data(Qt.ItemDataRole.UserRole))
            item.setBackground(QColor(colour) if colour else QColor(0, 0, 0, 0))
            if colour:
                item.setForeground(QColor("black"))
        self._rebuild_buttons()
        self.show_article(self.article_uid)

    def _rebuild_buttons(self) -> None:
        while self.buttons.count():
            taken = self.buttons.takeAt(0)
            w = taken.widget() if taken is not None else None
            if w is not None and w not in (self.edit_button, self.reject_button,
                                           self.reopen_button, self.agreed_button):
                w.deleteLater()
        self.accept_buttons = {}
        for i, uid in enumerate(self.annotator_uids):
            b = QPushButton(f"{i + 1}  Accept {self.names.get(uid, uid)}")
            b.setToolTip(f"Put {self.names.get(uid, uid)}'s version into gold (key {i + 1})")
            b.setStyleSheet(f"border-left: 6px solid {self.colours[uid]}; padding: 3px 8px;")
            b.clicked.connect(lambda _=False, u=uid: self.accept(u))
            self.accept_buttons[uid] = b
            self.buttons.addWidget(b)
        for b in (self.edit_button, self.reject_button, self.reopen_button, self.agreed_button):
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)

    # ---------------------------------------------------------------- article
    def show_article(self, uid: str | None, keep_row: int | None = None) -> None:
        self.article_uid = uid
        art = self.repo.get_article(uid) if uid else None
        if art is None or len(self.annotator_uids) < 2:
            self.units, self.todo = [], []
            self.view.show_empty("Review mode", "Tick two or more annotators above, then open "
                                 "an article they both tagged.")
            self.list.clear()
            self.progress.setText("")
            self._show_versions(None)
            return
        spans = self.review.spans(self.annotator_uids, article_uid=uid)
        self.units = review_units(spans, self.annotator_uids)
        self.todo = [i for i, u in enumerate(self.units) if u.status != AGREE]
        self.view.show_article(art, [])
        index = self.view.index
        assert index is not None  # show_article made it
        layers = [(s.uid, s.start, s.end, ("ann", self.colours[s.annotator])) for s in spans]
        layers += [(f"unit:{i}", u.start, u.end, STATUS_LAYERS[u.status])
                   for i, u in enumerate(self.units) if u.status in STATUS_LAYERS]
        index.set_spans(layers)
        self.view.highlighter.rehighlight()
        self._refresh_list(keep_row)

    def _refresh_list(self, keep_row: int | None = None) -> None:
        decisions = self.review.decisions(self.article_uid) if self.article_uid else []
        self.decided_sources = {u for d in decisions for u in d.source_uids}
        verdict = {u: d.decision for d in decisions for u in d.source_uids}
        text = self.view.article.text if self.view.article else ""
        done_of = [next((verdict[s.uid] for s in u.spans if s.uid in verdict), None)
                   for u in self.units]
        shown = self.filter.currentData() or "review"
        book = self.repo.codebook()
        self.list.blockSignals(True)
        self.list.clear()
        for i, u in enumerate(self.units):
            done = done_of[i]
            if not keeps(shown, u, done is not None):
                continue
            differences = attribute_differences(
                book, u, [(a, self.names.get(a, "?")) for a in self.annotator_uids])
            item = QListWidgetItem(row_text(u, text[u.start:u.end], self._versions(u), done,
                                            book, differences))
            item.setData(Qt.ItemDataRole.UserRole, i)
            state = STATES[u.status]
            # Colour says the state as the symbol does; a decided unit greys out.
            item.setForeground(QColor("gray") if done else QColor(state.colour))
            if u.status == DISAGREE and not done:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            item.setToolTip(f"{state.word}" + (f", decided ({done})" if done else ", open"))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.progress.setText(
            progress_text(self.units, [d is not None for d in done_of]) + " · "
            + " ".join(f"<span style='background:{self.colours[u]};color:black'>&nbsp;"
                       f"{html.escape(self.names.get(u, u))}&nbsp;</span>"
                       for u in self.annotator_uids))
        if self.list.count():
            row = keep_row if keep_row is not None else 0
            self.list.setCurrentRow(max(0, min(row, self.list.count() - 1)))
        else:
            self._show_versions(None)

    def _versions(self, unit: ReviewUnit) -> list[tuple[str, str]]:
        """(annotator, version) for every chosen annotator, "—" where one did not mark it."""
        by = {s.annotator: s.uid for s in unit.spans}
        show_span = "span" in unit.reasons
        return [(self.names.get(a, "?"),
                 version_text(self.repo, self.repo.get_annotation(by[a]) if a in by else None,
                              show_span))
                for a in self.annotator_uids]

    def describe(self, key: str) -> str:
        """Tooltip line for a highlight: whose tag and what it says, or the unit's status."""
        if key.startswith("unit:"):
            u = self.units[int(key[5:])]
            return ("<i>only one annotator</i>" if u.status == "single"
                    else "<i>differ: " + html.escape(", ".join(
                        readable_reasons(u.reasons, self.repo.codebook()))) + "</i>")
        a = self.repo.get_annotation(key)
        if a is None:
            return ""
        if a.kind == "actor":
            actor = self.repo.get_actor(a.actor_uid) if a.actor_uid else None
            what = f"actor {actor.name if actor else '?'}"
        elif a.kind == "date":
            what = f"date {a.date_value}"
        else:
            holder = self.repo.get_actor(a.holder_uid) if a.holder_uid else None
            what = f"stance {a.polarity}" + (f" by {holder.name}" if holder else "")
        colour = self.colours.get(a.annotator_uid, "#999999")
        return (f"<span style='background:{colour};color:black'>&nbsp;"
                f"{html.escape(self.names.get(a.annotator_uid, '?'))}&nbsp;</span> "
                + html.escape(what))

    # -------------------------------------------------------------- walking
    def current_unit(self) -> ReviewUnit | None:
        item = self.list.currentItem()
        return self.units[item.data(Qt.ItemDataRole.UserRole)] if item is not None else None

    def step(self, delta: int) -> ReviewUnit | None:
        """N / P: the next or previous unit to review (wrapping)."""
        if not self.list.count():
            return None
        self.list.setCurrentRow((self.list.currentRow() + delta) % self.list.count())
        return self.current_unit()

    def _show_versions(self, unit: ReviewUnit | None) -> None:
        self.versions.show_unit(
            unit, self.annotator_uids, self.names, self.colours,
            lambda uid: version_fields(self.repo, self.repo.get_annotation(uid)))

    def _row_changed(self, _row: int) -> None:
        u = self.current_unit()
        self._show_versions(u)
        if u is not None:
            # The unit stays selected (a text selection, not a highlight layer) and centred.
            self.view.select_span(u.start, u.end)
            self.view.text.centerCursor()

    # ------------------------------------------------------------- decisions
    def _run(self, decision: str, source_uid: str | None, changes: dict | None = None,
             unit: ReviewUnit | None = None) -> bool:
        unit = unit or self.current_unit()
        if unit is None:
            return False
        source = self.repo.get_annotation(source_uid) if source_uid else None
        gold = self.review.gold_annotator()
        me = self.repo.annotator
        cmd = adjudicate(self.review, unit, decision, source, gold_annotator_uid=gold.uid,
                         reviewer_uid=me.uid, reviewer_name=me.name, changes=changes)
        ok = self.session.run(cmd, initiator=self)
        if ok:
            self.after_change()
        return ok

    def after_change(self) -> None:
        """Redraw the list (decisions) after a decision, an undo or a redo."""
        row = self.list.currentRow()
        if self.article_uid:
            self._refresh_list(keep_row=row)
        self.decided.emit()

    def version_of(self, annotator_uid: str, unit: ReviewUnit | None = None) -> str | None:
        unit = unit or self.current_unit()
        if unit is None:
            return None
        return next((s.uid for s in unit.spans if s.annotator == annotator_uid), None)

    def accept(self, annotator_uid: str) -> bool:
        """Accept this annotator's version of the current unit into gold."""
        uid = self.version_of(annotator_uid)
        if uid is None:
            self.session.feedback.message(
                f"{self.names.get(annotator_uid, '?')} did not mark this unit", 4000)
            return False
        return self._run("accept", uid)

    def _accept_nth(self, k: int) -> None:
        if k < len(self.annotator_uids):
            self.accept(self.annotator_uids[k])

    def edit(self, annotator_uid: str, changes: dict[str, Any]) -> bool:
        """Accept this annotator's version edited by `changes` (fields of Annotation)."""
        uid = self.version_of(annotator_uid)
        if uid is None:
            return False
        if "start" in changes or "end" in changes:
            src = existing(self.repo.get_annotation(uid), "annotation", uid)
            start, end = changes.get("start", src.start), changes.get("end", src.end)
            changes = {**changes, "quote": self._text()[start:end]}
        return self._run("edit", uid, changes)

    def edit_current(self) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        from stancemark.ui.review.edit_dialog import EditVersionDialog

        dlg = EditVersionDialog(self, self.repo, unit, self.names, self._text())
        if dlg.exec():
            annotator_uid, changes = dlg.result_changes()
            self.edit(annotator_uid, changes)

    def _text(self) -> str:
        """The open article's text (there are units only while one is shown)."""
        art = self.view.article
        assert art is not None
        return art.text

    def reject(self) -> bool:
        return self._run("reject", None)

    def reopen(self) -> bool:
        """Take back the current unit's decision (made here, in another session or by
        `stancemark settle`): its record and gold annotation go; Ctrl+Z brings them back."""
        from stancemark.core.adjudication import Reopen

        unit = self.current_unit()
        if unit is None:
            return False
        found = self.review.decisions_for(tuple(s.uid for s in unit.spans))
        if not found:
            self.session.feedback.message("This unit is not decided", 4000)
            return False
        ok = self.session.run(Reopen(self.review, found[0]), initiator=self)
        if ok:
            self.after_change()
        return ok

    def accept_agreed(self) -> int:
        """Every agreeing unit not decided yet goes to gold (first annotator's version)."""
        count = 0
        for u in list(self.units):
            if u.status == AGREE and not any(s.uid in self.decided_sources for s in u.spans):
                if self._run("accept", u.spans[0].uid, unit=u):
                    count += 1
        return count
