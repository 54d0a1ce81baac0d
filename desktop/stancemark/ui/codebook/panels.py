"""The selected annotation's attributes (under the inspector) and the article's
variables (a dock): the same editors as the tagging popup, each finished edit saved as
one undoable step (SetAttributes / SetArticleVariables run through the session).

Both rebuild their forms when the codebook changes and refill them from the store when
a change record names their annotation or article (undo and redo included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from stancemark.core.codebook import CodebookError
from stancemark.core.codebook_commands import SetArticleVariables, SetAttributes
from stancemark.core.model import Annotation
from stancemark.ui.codebook.editors import AttributeForm

if TYPE_CHECKING:
    from stancemark.ui.registers.cache import RegisterCache
    from stancemark.ui.window.session import Session


class _FormHost(QWidget):
    def __init__(self, session: Session, cache: RegisterCache, title: str):
        super().__init__()
        self.session = session
        self.cache = cache
        self.title = QLabel(title)
        self.title.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #D55E00")
        self.error.setWordWrap(True)
        self.error.hide()
        self.form: AttributeForm | None = None
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(4, 4, 4, 4)
        self.box.addWidget(self.title)
        self.box.addWidget(self.error)

    def _set_form(self, form: AttributeForm | None) -> None:
        if self.form is not None:
            self.box.removeWidget(self.form)
            self.form.deleteLater()
        self.form = form
        if form is not None:
            self.box.insertWidget(1, form)
            form.edited.connect(self._edited)

    def _edited(self, uid: str) -> None:
        raise NotImplementedError

    def _value(self, uid: str) -> tuple[bool, Any]:
        assert self.form is not None
        try:
            value = self.form.fields[uid].value()
        except CodebookError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False, None
        self.error.hide()
        return True, value


class AttributePanel(_FormHost):
    """Attributes of the annotation selected in the inspector."""

    def __init__(self, session: Session, cache: RegisterCache):
        super().__init__(session, cache, "")
        self.current: Annotation | None = None
        self.hide()

    def show_annotation(self, a: Annotation | None) -> None:
        self.current = a
        attrs = self.session.repo.codebook().attributes_of(a.kind) if a is not None else ()
        if not attrs or a is None:
            self._set_form(None)
            self.hide()
            return
        editable = a.annotator_uid == self.session.repo.annotator.uid
        form = AttributeForm(attrs, self.cache)
        form.set_values(a.attributes or {})
        form.set_editable(editable)
        self._set_form(form)
        self.title.setText(f"<b>{self.session.repo.codebook().name(a.kind)}</b> attributes")
        self.error.hide()
        self.show()

    def _edited(self, uid: str) -> None:
        a = self.current
        if a is None:
            return
        ok, value = self._value(uid)
        if not ok or (a.attributes or {}).get(uid) == value:
            return
        attr = self.session.repo.codebook().attribute(uid)
        name = attr.name if attr else uid
        self.session.run(SetAttributes(a.uid, {uid: value}, label=f"Set {name}"),
                         initiator=self)

    def refresh(self, uids: tuple[str, ...]) -> None:
        """A change named these annotations: re-read the one shown."""
        if self.current is not None and self.current.uid in uids:
            self.show_annotation(self.session.repo.get_annotation(self.current.uid))


class VariablesPanel(_FormHost):
    """The open article's variables, for the current annotator."""

    def __init__(self, session: Session, cache: RegisterCache):
        super().__init__(session, cache, "")
        self.article_uid: str | None = None
        self.empty = QLabel("This codebook has no article variables (add them in "
                            "Edit ▸ Codebook…).")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: gray")
        self.box.addWidget(self.empty)
        self.box.addStretch(1)

    def show_article(self, article_uid: str | None) -> None:
        self.article_uid = article_uid
        attrs = self.session.repo.codebook().article_variables()
        self.empty.setVisible(not attrs)
        if not attrs or article_uid is None:
            self._set_form(None)
            self.title.setText("" if attrs else "")
            return
        form = AttributeForm(attrs, self.cache)
        form.set_values(self.session.repo.article_variables(article_uid))
        self._set_form(form)
        self.title.setText("Set once per article (yours only).")
        self.error.hide()

    def _edited(self, uid: str) -> None:
        if self.article_uid is None:
            return
        ok, value = self._value(uid)
        if not ok or self.session.repo.article_variables(self.article_uid).get(uid) == value:
            return
        attr = self.session.repo.codebook().attribute(uid)
        self.session.run(SetArticleVariables(
            self.article_uid, {uid: value}, label=f"Set {attr.name if attr else uid}"),
            initiator=self)


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area
