"""The main window and what belongs to it: menus, tagging keys and popups, undo,
the status bar, start-up (app.py) and the build check (smoke.py)."""
