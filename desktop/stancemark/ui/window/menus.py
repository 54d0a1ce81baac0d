"""The main window's actions, menus and tagging toolbar.

Split from main_window.py so the window class holds behaviour (opening, editing,
navigation) and this module holds what the user clicks: every QAction is made here,
keyed in `window.actions_`, and placed in `window.menus[...]` and the toolbar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

from stancemark.ui.dialogs.about import add_about_action
from stancemark.ui.window import navigation
from stancemark.ui.window.shortcuts import SHORTCUTS

if TYPE_CHECKING:
    from stancemark.ui.window.main_window import MainWindow


def add_action(window: MainWindow, key: str, text: str, slot: Any) -> QAction:
    """A window-wide action with its shortcuts and tips from ui/shortcuts.py."""
    act = QAction(text, window)
    if key in SHORTCUTS:
        act.setShortcuts([QKeySequence(k) for k in SHORTCUTS[key][0]])
        act.setToolTip(f"{text.replace('&', '')} ({SHORTCUTS[key][0][0]})")
        act.setStatusTip(SHORTCUTS[key][1])
    act.triggered.connect(slot)
    window.addAction(act)
    window.actions_[key] = act
    return act


def build_actions(window: MainWindow) -> None:
    def a(key: str, text: str, slot: Any) -> QAction:
        return add_action(window, key, text, slot)

    a("tag_actor", "Tag &actor", lambda: window.tagger.tag("actor"))
    a("tag_date", "Tag &date", lambda: window.tagger.tag("date"))
    a("tag_stance", "Tag &stance", lambda: window.tagger.tag("stance"))
    stack = window.undo_stack
    undo = stack.createUndoAction(window, "&Undo")
    undo.setShortcuts([QKeySequence(k) for k in SHORTCUTS["undo"][0]])
    redo = stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence(k) for k in SHORTCUTS["redo"][0]])
    for key, act in (("undo", undo), ("redo", redo)):
        window.addAction(act)
        window.actions_[key] = act
    a("done_next", "Mark &done, open next", window.mark_done_and_next)
    a("next_article", "&Next article", lambda: window.step_article(1))
    a("prev_article", "&Previous article", lambda: window.step_article(-1))
    a("find", "&Find in article…", window.show_find)
    a("find_next", "Find ne&xt", window.find_next)
    a("search_articles", "&Search articles", window._focus_search)
    a("import", "&Import…", lambda: window.exchange.import_files())
    a("export", "&Export…", lambda: window.exchange.export())
    a("set_span", "Set span to &selection", window.set_span_to_selection)
    view, inspector, feedback = window.view, window.inspector, window.feedback
    a("next_annotation", "Ne&xt annotation",
      lambda: navigation.step_annotation(view, inspector, feedback, 1))
    a("prev_annotation", "Pre&vious annotation",
      lambda: navigation.step_annotation(view, inspector, feedback, -1))
    a("focus_text", "Go to the &text", lambda: navigation.focus_text(view.text))
    for key, text, slot in window.hub_sync.actions:
        a(key, text, slot)
    window.actions_["article_details"] = window.articles.details
    window.actions_["article_trash"] = window.articles.trash
    a("discourse", "&Discourse…", window.discourse.open)
    a("help", "&Keyboard shortcuts", window.show_help)
    a("quit", "&Quit", window.close)
    a("undo_history", "Undo &history", window.history_dock.show)


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    acts = window.actions_
    menus = window.menus
    file = menus["file"] = bar.addMenu("&File")
    for k in ("import", "export"):
        file.addAction(acts[k])
    file.addSeparator()
    from stancemark.ui.dialogs.backups import add_file_menu_actions

    add_file_menu_actions(window.session, window, file)  # Backups…, Trash…, Reload
    file.addSeparator()
    file.addAction(window.review.merge_action)
    file.addAction(acts["sync"])
    file.addAction(acts["sync_settings"])
    file.addSeparator()
    file.addAction(acts["quit"])
    edit = menus["edit"] = bar.addMenu("&Edit")
    edit.addAction(acts["undo"])
    edit.addAction(acts["redo"])
    window.history_menu = edit.addMenu("Undo history")
    window.history_menu.aboutToShow.connect(window._fill_history_menu)
    edit.addSeparator()
    for k in ("tag_actor", "tag_date", "tag_stance"):
        edit.addAction(acts[k])
    window.codebook.kinds.place(edit, edit.addSeparator())  # Tag <custom kind>, by its key
    edit.addAction(acts["set_span"])
    edit.addAction(acts["find"])
    edit.addAction(acts["find_next"])
    window.articles.add_to_menu(edit)  # Article details…, Mark as, Move article to trash
    edit.addSeparator()
    edit.addAction(window.codebook.editor_action)
    acts["codebook"] = window.codebook.editor_action
    view = menus["view"] = bar.addMenu("&View")
    for k in ("next_annotation", "prev_annotation", "focus_text"):
        view.addAction(acts[k])
    view.addSeparator()
    for k in ("next_article", "prev_article", "done_next", "search_articles"):
        view.addAction(acts[k])
    view.addSeparator()
    view.addAction(window.registers_dock.toggleViewAction())
    view.addAction(window.history_dock.toggleViewAction())
    view.addAction(window.codebook.variables_dock.toggleViewAction())
    view.addAction(_legend_action(window))
    suggestions = menus["suggestions"] = view.addMenu("S&uggestions")
    suggestions.addActions(window.suggestions.menu_actions)
    view.addSeparator()
    view.addAction(acts["discourse"])
    review = menus["review"] = bar.addMenu("&Review")
    for act in (window.review.toggle, window.review.agreement_toggle):
        review.addAction(act)
    review.addSeparator()
    review.addAction(window.review.merge_action)
    help_menu = menus["help"] = bar.addMenu("&Help")
    help_menu.addAction(acts["help"])
    acts["about"] = add_about_action(window, help_menu, window.store_path)
    window.addToolBar(_tagging_toolbar(window))
    window.addToolBar(window.review.toolbar)


def _legend_action(window: MainWindow) -> QAction:
    """View ▸ Legend: kinds, polarity lines and the article's actors above the text;
    remembered between sessions."""
    legend = window.view.legend
    legend.actor_name = window.cache.actor_name
    act = QAction("&Legend", window, checkable=True)
    act.setShortcuts([QKeySequence(k) for k in SHORTCUTS["legend"][0]])
    act.toggled.connect(legend.setVisible)
    act.toggled.connect(lambda on: window.settings.setValue("legend", on))
    act.setChecked(str(window.settings.value("legend", "false")).lower() == "true")
    window.actions_["legend"] = act
    return act


def _tagging_toolbar(window: MainWindow) -> QToolBar:
    acts = window.actions_
    stack = window.undo_stack
    tools = QToolBar("Tagging")
    tools.setObjectName("tagging_toolbar")
    tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for k in ("tag_actor", "tag_date", "tag_stance"):
        tools.addAction(acts[k])
    window.codebook.kinds.place(tools, tools.addSeparator())
    # short labels here; the Edit menu's actions name what they undo
    for label, slot, signal, enabled in (
            ("Undo", stack.undo, stack.canUndoChanged, stack.canUndo()),
            ("Redo", stack.redo, stack.canRedoChanged, stack.canRedo())):
        act = tools.addAction(label, slot)
        act.setEnabled(enabled)
        act.setToolTip(acts[label.lower()].toolTip() or label)
        signal.connect(act.setEnabled)
    tools.addSeparator()
    for k in ("prev_article", "next_article", "done_next"):
        tools.addAction(acts[k])
    tools.addSeparator()
    tools.addAction(window.registers_dock.toggleViewAction())
    return tools


def fill_history_menu(window: MainWindow) -> None:
    """Edit ▸ Undo history: every step on the stack, newest first; a click goes there."""
    menu = window.history_menu
    menu.clear()
    stack = window.undo_stack
    if stack.count() == 0:
        menu.addAction("(nothing to undo)").setEnabled(False)
        return
    for i in range(stack.count() - 1, -1, -1):
        act = menu.addAction(("✓ " if i < stack.index() else "↷ ") + stack.text(i))
        act.triggered.connect(lambda _=False, i=i: stack.setIndex(i + 1))
