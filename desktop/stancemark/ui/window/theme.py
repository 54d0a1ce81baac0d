"""Light or dark: the desktop's colour scheme where Qt can read it, or STANCEMARK_THEME.

STANCEMARK_THEME=dark|light forces one; otherwise the scheme Qt reads from the desktop
(QStyleHints.colorScheme, Qt 6.5+: GNOME, KDE, Windows, macOS) is followed, also when
the user switches it while the window is open. Where Qt cannot tell, light.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ENV_THEME = "STANCEMARK_THEME"
# A property of the application: the desktop scheme is followed (connected once).
FOLLOWS = "stancemark_follows_desktop_scheme"

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup


def forced_theme() -> str | None:
    """"dark" or "light" when STANCEMARK_THEME says so, else None."""
    forced = os.environ.get(ENV_THEME, "").strip().lower()
    return forced if forced in ("dark", "light") else None


def desktop_scheme(app: QApplication) -> Qt.ColorScheme:
    try:
        return app.styleHints().colorScheme()
    except AttributeError:  # Qt < 6.5 cannot read the desktop's scheme
        return Qt.ColorScheme.Unknown


def wants_dark(app: QApplication) -> bool:
    forced = forced_theme()
    if forced:
        return forced == "dark"
    return desktop_scheme(app) == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(30, 30, 32), QColor(43, 43, 46), QColor(225, 225, 225)
    for role, colour in ((_Role.Window, window), (_Role.WindowText, text),
                         (_Role.Base, base), (_Role.AlternateBase, window),
                         (_Role.Text, text), (_Role.Button, window),
                         (_Role.ButtonText, text), (_Role.BrightText, QColor("white")),
                         (_Role.ToolTipBase, window), (_Role.ToolTipText, text),
                         (_Role.Highlight, QColor(0, 114, 178)),
                         (_Role.HighlightedText, QColor("white")),
                         (_Role.Link, QColor(86, 180, 233)),
                         (_Role.PlaceholderText, QColor(140, 140, 140)),
                         # Fusion draws bevels and frames from these; left at the light
                         # defaults they glow white around every dark button
                         (_Role.Light, QColor(70, 70, 74)), (_Role.Midlight, QColor(58, 58, 62)),
                         (_Role.Mid, QColor(36, 36, 38)), (_Role.Dark, QColor(20, 20, 22)),
                         (_Role.Shadow, QColor(0, 0, 0))):
        p.setColor(role, colour)
    # setColor(role, ...) paints every group alike, so a disabled button read as enabled:
    # disabled text is dimmed (about half way to the background), its highlight greyed.
    dim = QColor(120, 120, 124)
    for role in (_Role.WindowText, _Role.Text, _Role.ButtonText, _Role.HighlightedText,
                 _Role.PlaceholderText, _Role.ToolTipText):
        p.setColor(_Group.Disabled, role, dim)
    p.setColor(_Group.Disabled, _Role.Highlight, QColor(70, 70, 74))
    p.setColor(_Group.Disabled, _Role.Light, QColor(43, 43, 46))  # no embossed shadow text
    return p


def apply_theme(app: QApplication) -> bool:
    """Set the palette the theme asks for; True when it is dark."""
    dark = wants_dark(app)
    # an empty palette gives the application back the style's and platform's own
    app.setPalette(dark_palette() if dark else QPalette())
    return dark


def follow_desktop(app: QApplication) -> None:
    """Re-apply the theme whenever the desktop's colour scheme changes (unless forced)."""
    if forced_theme() or app.property(FOLLOWS):
        return
    hints = app.styleHints()
    if hasattr(hints, "colorSchemeChanged"):
        hints.colorSchemeChanged.connect(lambda _scheme: apply_theme(app))
        app.setProperty(FOLLOWS, True)  # connect once
