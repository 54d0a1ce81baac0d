"""The window: the only package that imports PySide6 (ui -> formats -> store -> core)."""
