"""Help > About: version, store path, run-time versions and the licences of every
bundled component, readable offline (the texts ship in resources/licenses/).

The LGPL obliges us to tell users of the frozen app how to replace Qt and PySide6;
the note is shown on the first tab, not buried in a licence text.
"""

from __future__ import annotations

import html
import json
import platform
import sys
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stancemark import __version__
from stancemark.core.paths import resources_dir
from stancemark.store.db import sqlite_version

LGPL_NOTE = (
    "Qt and PySide6 are used under the GNU LGPL version 3. In the installed application "
    "folder they are separate files under <code>_internal/</code> (<code>PySide6/</code>, "
    "<code>shiboken6/</code> and the <code>libQt6*</code> / <code>Qt6*.dll</code> "
    "libraries): you may replace them with your own build of the same major version. "
    "Their source is available from <a href='https://code.qt.io'>code.qt.io</a>.")


def icon_path(size: int = 128) -> Path | None:
    try:
        path = resources_dir() / "icons" / f"stancemark-{size}.png"
    except FileNotFoundError:
        return None
    return path if path.exists() else None


def app_icon() -> QIcon:
    """The window icon, from every rendered size."""
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256, 512):
        path = icon_path(size)
        if path:
            icon.addFile(str(path))
    return icon


def load_components() -> list[dict[str, Any]]:
    """Bundled components with their licence, from resources/licenses/components.json."""
    try:
        path = resources_dir() / "licenses" / "components.json"
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []


def licence_text(component: dict[str, Any]) -> str:
    parts = [f"{component['name']} {component.get('version', '')}".strip(),
             f"Licence: {component.get('license', 'unknown')}"]
    if component.get("note"):
        parts.append(component["note"])
    folder = resources_dir() / "licenses"
    for name in component.get("files", []):
        path = folder / name
        if path.exists():
            parts.append("-" * 72 + "\n" + path.read_text(encoding="utf-8", errors="replace"))
    return "\n\n".join(parts)


def run_time_versions(store_path: Path | None) -> list[tuple[str, str]]:
    """(label, value) pairs shown in the dialog and copied for bug reports."""
    frozen = "frozen application" if getattr(sys, "frozen", False) else "Python package"
    return [
        ("Stancemark", f"{__version__} ({frozen})"),
        ("Store", str(store_path) if store_path else "(none open)"),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("SQLite", sqlite_version()),
        ("System", platform.platform()),
    ]


class AboutDialog(QDialog):
    def __init__(self, store_path: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About Stancemark")
        self.resize(720, 520)
        self.versions = run_time_versions(store_path)
        tabs = QTabWidget(self)
        tabs.addTab(self._about_tab(), "About")
        tabs.addTab(self._licences_tab(), "Licences")
        self.tabs = tabs

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy details", self)
        copy.setToolTip("Copy the versions and store path, for a bug report")
        copy.clicked.connect(self.copy_details)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    def _about_tab(self) -> QWidget:
        page = QWidget(self)
        top = QHBoxLayout()
        logo = QLabel(page)
        path = icon_path(128)
        if path:
            logo.setPixmap(QPixmap(str(path)))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        rows = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
                       for k, v in self.versions)
        text = QLabel(
            f"<h2>Stancemark {html.escape(__version__)}</h2>"
            "<p>Tag actors, dates and stances in news articles.<br>"
            "Released under the MIT licence.</p>"
            f"<table cellspacing='4'>{rows}</table>"
            f"<p>{LGPL_NOTE}</p>"
            "<p>The licences of all bundled components are on the <i>Licences</i> tab.</p>",
            page)
        text.setWordWrap(True)
        text.setOpenExternalLinks(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.about_label = text
        top.addWidget(logo)
        top.addWidget(text, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addStretch(1)
        return page

    def _licences_tab(self) -> QWidget:
        self.components = load_components()
        split = QSplitter(self)
        self.component_list = QListWidget(split)
        for c in self.components:
            label = f"{c['name']} {c.get('version', '')} — {c.get('license', '')}"
            self.component_list.addItem(label)
            self.component_list.item(self.component_list.count() - 1).setToolTip(label)
        self.licence_view = QPlainTextEdit(split)
        self.licence_view.setReadOnly(True)
        # Licence texts are hard-wrapped near 80 columns; re-wrapping them makes ragged lines.
        self.licence_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.component_list.currentRowChanged.connect(self._show_licence)
        split.setSizes([250, 470])
        if self.components:
            self.component_list.setCurrentRow(0)
        return split

    def _show_licence(self, row: int) -> None:
        if 0 <= row < len(self.components):
            self.licence_view.setPlainText(licence_text(self.components[row]))

    def details(self) -> str:
        return "\n".join(f"{k}: {v}" for k, v in self.versions)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())


def show_about(parent: QWidget | None, store_path: Path | None) -> AboutDialog:
    dialog = AboutDialog(store_path, parent)
    dialog.open()  # window-modal, returns at once: the caller's event loop goes on
    return dialog


class AboutAction(QAction):
    """Help > About Stancemark (the application menu's About item on macOS); keeps the
    dialog it opened, so tests and repeated clicks find it."""

    def __init__(self, parent: QWidget, store_path: Path | None):
        super().__init__("&About Stancemark", parent)
        self.setMenuRole(QAction.MenuRole.AboutRole)
        self.store_path = store_path
        self.dialog: AboutDialog | None = None
        self.triggered.connect(self._show)

    def _show(self) -> None:
        parent = self.parent()
        self.dialog = show_about(parent if isinstance(parent, QWidget) else None,
                                 self.store_path)


def add_about_action(parent: QWidget, menu: QMenu, store_path: Path | None = None) -> AboutAction:
    action = AboutAction(parent, store_path)
    menu.addAction(action)
    return action
