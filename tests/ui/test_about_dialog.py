"""Help > About: version, store path, run-time versions and bundled licences."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication

from stancemark import __version__
from stancemark.ui.dialogs.about import AboutDialog, app_icon, load_components


def _names(dialog):
    return [c["name"] for c in dialog.components]


def test_about_shows_version_store_and_run_time_versions(qtbot, tmp_path):
    store = tmp_path / "project.stancemark"
    dialog = AboutDialog(store)
    qtbot.addWidget(dialog)
    text = dialog.about_label.text()
    assert f"Stancemark {__version__}" in text
    assert str(store) in text
    assert qVersion() in text and PySide6.__version__ in text
    assert "LGPL" in text and "_internal/" in text


def test_licences_tab_lists_the_bundled_components(qtbot):
    dialog = AboutDialog(None)
    qtbot.addWidget(dialog)
    names = {n.lower() for n in _names(dialog)}
    for expected in ("stancemark", "qt", "pyside6_essentials", "shiboken6", "sqlite-utils",
                     "platformdirs", "charset-normalizer", "dateparser", "defusedxml",
                     "networkx", "python"):
        assert expected in names, expected
    assert dialog.component_list.count() == len(dialog.components)


def test_selecting_qt_shows_the_lgpl_text(qtbot):
    dialog = AboutDialog(None)
    qtbot.addWidget(dialog)
    dialog.component_list.setCurrentRow(_names(dialog).index("Qt"))
    text = dialog.licence_view.toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text
    assert "Version 3" in text


def test_copy_details_puts_the_store_path_on_the_clipboard(qtbot, tmp_path):
    store = tmp_path / "s.stancemark"
    dialog = AboutDialog(store)
    qtbot.addWidget(dialog)
    dialog.copy_details()
    copied = QGuiApplication.clipboard().text()
    assert f"Store: {store}" in copied
    assert f"Stancemark: {__version__}" in copied


def test_every_listed_licence_file_exists():
    from stancemark.core.paths import resources_dir

    folder = resources_dir() / "licenses"
    components = load_components()
    assert components
    for c in components:
        for name in c["files"]:
            assert (folder / name).is_file(), f"{c['name']}: {name} missing"


def test_app_icon_has_the_rendered_sizes(qapp):
    sizes = {s.width() for s in app_icon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes


def test_help_menu_opens_about_with_the_store_path(qtbot, seeded, store_path):
    from stancemark.ui.window.app import build_window

    window = build_window(seeded, store_path)
    qtbot.addWidget(window)
    about = [a for a in window.menus["help"].actions() if "About" in a.text()]
    assert len(about) == 1
    about[0].trigger()
    dialog = about[0].dialog  # the action keeps the dialog it opened
    assert dialog.isVisible()
    assert str(store_path) in dialog.about_label.text()
    dialog.close()


def test_about_shows_the_sqlite_version_read_through_the_store_layer(qtbot):
    from stancemark.store.db import sqlite_version

    dialog = AboutDialog(None)
    qtbot.addWidget(dialog)
    assert dict(dialog.versions)["SQLite"] == sqlite_version()
    assert sqlite_version().count(".") == 2
    assert "SQLite" in dialog.about_label.text() and sqlite_version() in dialog.about_label.text()
