"""The command line: `stancemark` with no sub-command opens the window.

A module per group of commands (exchange, articles, review, reliability), each with a
`register(subparsers)`; `main` builds the parser and runs one command; `window` is the
only way into the `ui` layer.
"""

from stancemark.cli.main import main, main_gui

__all__ = ["main", "main_gui"]
