"""The Agreement panel: the figures of core.agreement for the annotators under review,
over the corpus and for the article on screen, each with a one-line meaning."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.agreement import LABEL_FIELDS, AgreementReport, compute_agreement
from stancemark.ui.review.panel import ReviewPanel

MEANINGS = {
    "f1_exact": "share of spans both marked with the same boundaries",
    "f1_overlap": "share of spans both marked, boundaries may differ",
    "kappa_actor": "actor chosen on matched spans, beyond chance (one pair)",
    "kappa_date": "date value on matched spans, beyond chance (one pair)",
    "kappa_polarity": "stance polarity on matched spans, beyond chance (one pair)",
    "kappa_target": "stance target on matched spans, beyond chance (one pair)",
    "alpha_actor": "Krippendorff's alpha on the actor of overlapping units",
    "alpha_date": "Krippendorff's alpha on the date value of overlapping units",
    "alpha_polarity": "Krippendorff's alpha on stance polarity",
    "alpha_target": "Krippendorff's alpha on stance target",
    "u_alpha": "unitizing alpha: where spans are, partial credit for partial overlap",
}
SHOWN = tuple(MEANINGS)


class AgreementPanel(QWidget):
    def __init__(self, panel: ReviewPanel):
        super().__init__()
        self.panel = panel  # the ReviewPanel: its annotators and article
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("agreement_table")
        self.table.setHorizontalHeaderLabels(["kind", "figure", "annotators", "corpus",
                                              "this article", "units"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.report: AgreementReport | None = None
        self.progress: dict[str, tuple[int, int, int]] = {}

    def refresh(self) -> None:
        uids = list(self.panel.annotator_uids)
        names = self.panel.names
        if len(uids) < 2:
            self.caption.setText("Choose two or more annotators in review mode.")
            self.table.setRowCount(0)
            return
        review = self.panel.review
        spans = review.span_table(uids, tuple(LABEL_FIELDS))
        lengths = review.lengths(spans.article_uids())
        self.report = report = compute_agreement(spans, uids, lengths, by="article")
        art = self.panel.article_uid
        here = {(f.kind, f.pair, f.measure): f for f in report.figures if f.scope == art}
        # Kappa is per pair; everything else over all the chosen annotators.
        rows = [f for f in report.figures if f.scope == "corpus" and f.measure in SHOWN
                and (f.pair != "all") == f.measure.startswith("kappa")]
        self.table.setRowCount(len(rows))
        for r, f in enumerate(rows):
            who = "all" if f.pair == "all" else " | ".join(names.get(u, u) for u in f.pair.split("|"))
            local = here.get((f.kind, f.pair, f.measure))
            cells = [f.kind, f.measure, who, _fmt(f.value), _fmt(local.value if local else None),
                     str(f.n)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(MEANINGS.get(f.measure, ""))
                if c >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        progress = review.corpus_progress(uids)
        settled = sum(1 for d, n, _ in progress.values() if d == n)
        decided = sum(d for d, _, _ in progress.values())
        units = sum(n for _, n, _ in progress.values())
        self.progress = progress
        self.caption.setText(
            f"{len(spans)} annotations of {', '.join(names.get(u, u) for u in uids)} in "
            f"{len(lengths)} article(s). Adjudicated: {decided} of {units} unit(s); "
            f"{settled} of {len(progress)} article(s) fully decided. '–' means undefined "
            "(e.g. one label only); hover a row for its meaning.")

    def value(self, measure: str, kind: str = "all", scope: str = "corpus") -> float | None:
        if self.report is None:
            return None
        f = self.report.get(measure, kind, scope=scope)
        return f.value if f else None


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"
