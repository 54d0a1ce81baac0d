"""The window: the only code that imports PySide6 (Qt), grouped by role.

window/     the main window, its menus, tagging keys and popups, undo, start-up
article/    the article list and the article view with its highlighter
inspector/  the inspector (annotations of the open article, their fields)
registers/  the actor and topic registers panel
review/     review mode: the units list, adjudication, the agreement panel
dialogs/    import/export, backups, about, and the background jobs they run
widgets/    small Qt helpers shared by several views
pictures/   README picture generators (developer tools; left out of the frozen app)
"""
