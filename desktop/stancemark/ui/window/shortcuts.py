"""Every keyboard shortcut of the window in one table: the Help dialog and the README
both show this list, and the window binds its actions from it."""

from __future__ import annotations

# action key -> (key sequence(s), what it does)
SHORTCUTS: dict[str, tuple[tuple[str, ...], str]] = {
    "tag_actor": (("A",), "Tag the selection as an actor mention"),
    "tag_date": (("D",), "Tag the selection as a date"),
    "tag_stance": (("S",), "Tag the selection as a stance (then + − 0 for polarity)"),
    "undo": (("Ctrl+Z",), "Undo the last edit"),
    "redo": (("Ctrl+Shift+Z", "Ctrl+Y"), "Redo"),
    "done_next": (("Ctrl+Return", "Ctrl+Enter"), "Mark the article done and open the next one not done"),
    "next_article": (("Ctrl+PgDown",), "Next article in the list"),
    "prev_article": (("Ctrl+PgUp",), "Previous article in the list"),
    "next_annotation": (("J",), "Next annotation in the text (selected, shown)"),
    "prev_annotation": (("K",), "Previous annotation in the text"),
    "focus_text": (("Ctrl+T",), "Go to the article text (then Shift+arrows select)"),
    "find": (("Ctrl+F",), "Find in the article"),
    "find_next": (("F3",), "Next find hit"),
    "search_articles": (("Ctrl+L",), "Search the article list"),
    "legend": (("Ctrl+Shift+L",), "Show or hide the legend (kinds, polarity lines, actors here)"),
    "set_span": (("Ctrl+B",), "Set the selected annotation's span to the text selection"),
    "delete": (("Del",), "Move the selected annotation(s) to the trash (in the inspector)"),
    "article_details": (("F2",), "Edit the article's title, date, source, URL, language"),
    "import": (("Ctrl+I",), "Import files…"),
    "export": (("Ctrl+E",), "Export…"),
    "sync": (("F9",), "Sync with the team's hub (push my changes, pull the others')"),
    "discourse": (("Ctrl+Shift+D",), "Open the Discourse window: stance table, network, "
                  "timeline"),
    "suggestions": (("Ctrl+Shift+G",), "Show or hide the suggestions (dotted violet outlines)"),
    "add_alias": (("Ctrl+Shift+A",), "Add the text just tagged as an alias of its actor "
                  "(offered when it is not one yet)"),
    "help": (("F1",), "Show this list of shortcuts"),
    "quit": (("Ctrl+Q",), "Quit"),
}

POPUP_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "Accept the popup"),
    ("Esc", "Cancel the popup / close the find bar"),
    ("+  −  0", "In the stance popup: support, oppose, neutral"),
)


# Suggestions (ui/window/suggestions.py reads these in the article text while suggestions
# are shown: window-wide shortcuts would take Tab and Backspace from every field).
SUGGESTION_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab  /  Shift+Tab", "Next / previous suggestion"),
    ("Enter", "Accept the suggestion (a date without a value asks for it)"),
    ("Backspace", "Reject the suggestion (not proposed to you again in this article)"),
    ("Shift+Enter", "Accept every suggestion of this actor in the article"),
)

# Review mode (ui/review_mode.py, ui/review_panel.py binds these inside the Review dock).
REVIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("Ctrl+Shift+R", "Review mode on / off (compare annotators, settle the gold layer)"),
    ("N  /  P", "In review: next / previous unit to settle"),
    ("1 … 9", "In review: accept the 1st … 9th annotator's version into gold"),
    ("E", "In review: edit a version into gold…"),
    ("R", "In review: reject the unit (nothing goes into gold)"),
    ("O", "In review: reopen a decided unit (made here or by `stancemark settle`; Ctrl+Z undoes)"),
    ("Alt+G", "In review: accept every unit where all annotators agree"),
)


def _rows() -> list[tuple[str, str]]:
    return [(" / ".join(keys), what) for keys, what in SHORTCUTS.values()] + list(POPUP_KEYS)


def shortcuts_html() -> str:
    def rows(items: list[tuple[str, str]]) -> str:
        return "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{w}</td></tr>" for k, w in items)

    # one table, so both parts share their column widths
    return (f"<h3>Keyboard shortcuts</h3><table>{rows(_rows())}"
            "<tr><td colspan='2'><h4>Suggestions (in the article text)</h4></td></tr>"
            f"{rows(list(SUGGESTION_KEYS))}"
            "<tr><td colspan='2'><h4>Review mode</h4></td></tr>"
            f"{rows(list(REVIEW_KEYS))}</table>")

