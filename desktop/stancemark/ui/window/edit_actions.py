"""Undoable edits beyond tagging, each given the narrow objects it needs (the session,
the article view, the inspector's editor), never the window:

- Edit ▸ Set span to selection (Ctrl+B): the selected annotation takes the text
  selection as its new boundaries, through UpdateAnnotation (undoable);
- inspector edits that name a stance target not in the register create the topic
  first, in one undo step with the edit;
- deleting several annotations, and restoring trash entries, as one undo step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stancemark.core.commands import (
    Command,
    DeleteAnnotation,
    RestoreAnnotation,
    UpdateAnnotation,
    _short,
)
from stancemark.core.register_commands import AddTopic, Restore
from stancemark.store import register_edits
from stancemark.store.trash import TrashItem

if TYPE_CHECKING:
    from stancemark.ui.article.article_view import ArticleView
    from stancemark.ui.inspector.inspector import AnnotationEditor
    from stancemark.ui.window.session import Session

NEW_TOPIC = "new_topic"  # key in an editor's changes: create this topic, then target it


def _restore(entity: str, uid: str) -> Command:
    return RestoreAnnotation(uid) if entity == "annotation" else Restore(entity, uid)


# Trash entries restored as undoable commands (articles are restored by the Trash dialog
# itself, which re-reads everything).
UNDOABLE_RESTORES = ("annotation", "actor", "topic")


def set_span_to_selection(session: Session, view: ArticleView, editor: AnnotationEditor) -> bool:
    """Move the selected annotation's boundaries to the text selection (snapped)."""
    a = editor.current
    art = view.article
    say = session.feedback.message
    if a is None or art is None or a.article_uid != art.uid:
        say("Select an annotation in the inspector first.")
        return False
    if a.annotator_uid != session.repo.annotator.uid:
        say("That annotation is another annotator's.")
        return False
    span = view.selection_span()
    if span is None:
        say("Select the new span in the text first.")
        return False
    start, end = span
    if (start, end) == (a.start, a.end):
        return True
    quote = art.text[start:end]
    return session.run(UpdateAnnotation(
        a.uid, {"start": start, "end": end, "quote": quote},
        label=f"Set span of {a.kind} to “{_short(quote)}”"))


def edit_annotation(session: Session, uid: str, changes: dict[str, Any]) -> bool:
    """The inspector's edit; a NEW_TOPIC is created first, in the same undo step."""
    name = changes.pop(NEW_TOPIC, None)
    if not name:
        return session.run(UpdateAnnotation(uid, changes))
    with session.one_step(f"Edit stance (new topic “{_short(name)}”)"):
        add = AddTopic(name, edits=register_edits)
        if not session.run(add):
            return False
        changes.update(target_topic_uid=add.uid, target_actor_uid=None)
        return session.run(UpdateAnnotation(uid, changes, label="Edit stance"))


def delete_annotations(session: Session, uids: list[str]) -> bool:
    """Move annotations to the trash, several as one undo step; stops at a refusal."""
    if len(uids) == 1:
        return session.run(DeleteAnnotation(uids[0]))
    with session.one_step(f"Delete {len(uids)} annotations"):
        return all(session.run(DeleteAnnotation(uid)) for uid in uids)


def restore_items(session: Session, items: list[TrashItem]) -> bool:
    """Restore trash entries (store.trash.TrashItem) as one undo step."""
    label = (f"Restore {len(items)} item(s) from the trash" if len(items) > 1
             else f"Restore {items[0].entity} “{_short(items[0].label)}” from the trash")
    with session.one_step(label):
        return all(session.run(_restore(t.entity, t.uid)) for t in items)
