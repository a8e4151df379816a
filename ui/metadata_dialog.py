"""The metadata editor: title, kind, identifiers, date, authors, collection and the call
number's parts (repository, record group, series, box, folder, item) of a document."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from reader.metadata import KINDS
from reader.records import DocumentInfo, MetadataChanges


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


class MetadataDialog(QDialog):
    def __init__(self, document: DocumentInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(f"Metadata: {document.title}")
        self.title = QLineEdit(document.title)
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.kind.setCurrentText(document.kind)
        self.identifiers = QLineEdit(", ".join(document.identifiers))
        self.identifiers.setToolTip("Comma-separated, e.g. NOKW-1088, RG-238")
        self.date = QLineEdit(document.date)
        self.date.setPlaceholderText("1943, 1943-03 or 1943-03-12")
        self.authors = QLineEdit("; ".join(document.authors))
        self.authors.setToolTip("Separate several authors with semicolons")
        self.collection = QLineEdit(document.collection)
        self.repository = QLineEdit(document.repository)
        self.repository.setPlaceholderText("e.g. Bundesarchiv-Militärarchiv, NARA")
        self.record_group = QLineEdit(document.record_group)
        self.record_group.setPlaceholderText("e.g. RH 26, RG 242")
        self.series = QLineEdit(document.series)
        self.box = QLineEdit(document.box)
        self.folder = QLineEdit(document.folder)
        self.item = QLineEdit(document.item)
        self.date_confirmed = QCheckBox(_date_note(document))
        self.date_confirmed.setVisible(document.date_guessed)
        form = QFormLayout(self)
        form.addRow("&Title", self.title)
        form.addRow("&Kind", self.kind)
        form.addRow("&Identifiers", self.identifiers)
        form.addRow("&Date", self.date)
        if document.date_guessed:
            form.addRow("", self.date_confirmed)
        form.addRow("&Authors", self.authors)
        form.addRow("&Collection", self.collection)
        form.addRow("&Repository", self.repository)
        form.addRow("Record &group", self.record_group)
        form.addRow("&Series", self.series)
        form.addRow("&Box", self.box)
        form.addRow("&Folder", self.folder)
        form.addRow("It&em", self.item)
        path = QLabel(document.path)
        path.setWordWrap(True)
        form.addRow("File", path)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, self.sizeHint().height())

    def changes(self) -> MetadataChanges:
        """Only what was edited, so that an unchanged field is left as the catalog has it."""
        d = self.document
        title = self.title.text()
        identifiers = _split(self.identifiers.text(), ",")
        authors = _split(self.authors.text(), ";")
        return MetadataChanges(
            title=title if title != d.title else None,
            kind=self.kind.currentText() if self.kind.currentText() != d.kind else None,
            date=(
                self.date.text()
                if self.date.text() != d.date or self.date_confirmed.isChecked()
                else None
            ),
            authors=authors if authors != d.authors else None,
            collection=self.collection.text() if self.collection.text() != d.collection else None,
            identifiers=identifiers if identifiers != d.identifiers else None,
            repository=_edited(self.repository, d.repository),
            record_group=_edited(self.record_group, d.record_group),
            series=_edited(self.series, d.series),
            box=_edited(self.box, d.box),
            folder=_edited(self.folder, d.folder),
            item=_edited(self.item, d.item),
        )


def _edited(field: QLineEdit, before: str) -> str | None:
    """The field's text if the user changed it, else None (left as the catalog has it)."""
    return field.text() if field.text().strip() != before else None


def _date_note(document: DocumentInfo) -> str:
    """Says that a date is a guess (read from the file name or first page)."""
    where = "the file name" if document.date_source == "filename" else "the first page"
    return f"Guessed from {where}: confirm it"
