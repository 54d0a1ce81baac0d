"""The window opens within the available screen (a 1280x720 laptop included) and takes
a saved geometry back only where it still fits."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtWidgets import QWidget

from stancemark.ui.window.app import build_window
from stancemark.ui.window.placement import available_areas, default_geometry, fits, saved_frame


def _window(qtbot, repo, settings):
    w = build_window(repo, None, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_first_run_opens_inside_the_available_screen(qtbot, seeded, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    w = _window(qtbot, seeded, settings)
    area = available_areas()[0]
    assert area.width() < 1480  # the offscreen screen is smaller than the old fixed size
    assert area.contains(w.frameGeometry()), (w.frameGeometry(), area)
    assert area.contains(w.statusBar().mapToGlobal(w.statusBar().rect().bottomRight()))


def test_laptop_and_large_screens_get_a_fitting_default():
    laptop = QRect(0, 0, 1280, 720 - 32)  # a panel at the bottom
    rect = default_geometry(laptop, QSize(900, 500))
    assert laptop.contains(rect) and rect.width() <= 1280 * 0.92
    big = QRect(0, 0, 2560, 1600)
    assert default_geometry(big).size() == QSize(1480, 900)
    assert big.contains(default_geometry(big))


def test_the_window_can_be_as_small_as_a_laptop_screen(qtbot, seeded, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    w = _window(qtbot, seeded, settings)
    hint = w.minimumSizeHint()
    assert hint.width() <= 1180 and hint.height() <= 620, hint


def test_saved_geometry_larger_than_the_screen_is_not_restored(qtbot, seeded, tmp_path):
    big = QWidget()
    qtbot.addWidget(big)
    big.resize(1480, 900)
    big.move(0, 0)
    big.show()
    saved = big.saveGeometry()
    assert not fits(saved_frame(saved)[0], available_areas())
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("geometry", saved)
    w = _window(qtbot, seeded, settings)
    area = available_areas()[0]
    assert area.contains(w.frameGeometry()), (w.frameGeometry(), area)
    assert w.width() < 1480


def test_saved_geometry_that_fits_is_restored_where_it_was(qtbot, seeded, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    first = _window(qtbot, seeded, settings)
    first.resize(640, 480)
    first.move(40, 30)
    where = first.geometry()
    first.close()
    again = _window(qtbot, seeded, settings)
    assert again.geometry() == where


def test_unreadable_saved_geometry_falls_back_to_the_default(qtbot, seeded, tmp_path):
    from PySide6.QtCore import QByteArray

    assert saved_frame(QByteArray(b"not a geometry")) is None
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("geometry", QByteArray(b"not a geometry"))
    w = _window(qtbot, seeded, settings)
    assert available_areas()[0].contains(w.frameGeometry())
