"""Dark theme: disabled toolbar buttons look disabled; the window follows the desktop's
colour scheme (unless STANCEMARK_THEME forces one), the article's tints with it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QToolBar
from window_fixtures import make_window

from stancemark.ui.window import theme

Role, Group = QPalette.ColorRole, QPalette.ColorGroup


@pytest.fixture
def light_again():
    yield
    QApplication.instance().setPalette(QPalette())


def _brightest_text(widget) -> int:
    image = widget.grab().toImage()
    return max(QColor(image.pixel(x, y)).lightness()
               for x in range(image.width()) for y in range(image.height()))


def test_dark_palette_dims_disabled_text():
    p = theme.dark_palette()
    for role in (Role.ButtonText, Role.WindowText, Role.Text):
        on = p.color(Group.Active, role).lightness()
        off = p.color(Group.Disabled, role).lightness()
        back = p.color(Group.Disabled, Role.Button).lightness()
        assert on - off > 60 and off - back > 40, role  # dimmer, still readable


def test_disabled_toolbar_button_looks_disabled_in_dark(qtbot, seeded, tmp_path, monkeypatch,
                                                        light_again):
    monkeypatch.setenv(theme.ENV_THEME, "dark")
    assert theme.apply_theme(QApplication.instance())
    w = make_window(qtbot, seeded, tmp_path)
    bar = w.findChild(QToolBar, "tagging_toolbar")
    undo = next(a for a in bar.actions() if a.text() == "Undo")
    tag = w.actions_["tag_actor"]
    assert not undo.isEnabled() and tag.isEnabled()
    off = _brightest_text(bar.widgetForAction(undo))
    on = _brightest_text(bar.widgetForAction(tag))
    assert on - off > 60, (on, off)


def test_follows_the_desktop_scheme_unless_forced(qtbot, seeded, tmp_path, monkeypatch,
                                                  light_again):
    monkeypatch.delenv(theme.ENV_THEME, raising=False)
    app = QApplication.instance()
    scheme = [Qt.ColorScheme.Light]
    monkeypatch.setattr(theme, "desktop_scheme", lambda _app: scheme[0])
    theme.follow_desktop(app)
    w = make_window(qtbot, seeded, tmp_path)
    assert not w.view.highlighter.dark
    scheme[0] = Qt.ColorScheme.Dark
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert app.palette().color(Role.Window).lightness() < 80
    qtbot.waitUntil(lambda: w.view.highlighter.dark)  # the tints follow the palette
    scheme[0] = Qt.ColorScheme.Light
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert app.palette().color(Role.Window).lightness() > 200
    qtbot.waitUntil(lambda: not w.view.highlighter.dark)
    monkeypatch.setenv(theme.ENV_THEME, "light")  # forced: the desktop is not followed
    scheme[0] = Qt.ColorScheme.Dark
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert app.palette().color(Role.Window).lightness() > 200
