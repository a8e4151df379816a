"""Page thumbnails beside the reader, rendered lazily: only rows the list shows ask for one."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QListView, QWidget

from ui.renderer import PageKey, PageRenderer

THUMBNAIL_DPI = 18
ICON_SIZE = QSize(96, 128)
Index = QModelIndex | QPersistentModelIndex


class ThumbnailModel(QAbstractListModel):
    def __init__(self, renderer: PageRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = renderer
        self.doc = 0
        self.count = 0
        self._pixmaps: dict[int, QPixmap] = {}
        self._placeholder = QPixmap(ICON_SIZE)
        self._placeholder.fill(Qt.GlobalColor.white)
        renderer.rendered.connect(self._on_rendered)
        renderer.dropped.connect(self._ask_again)

    def set_document(self, doc: int, count: int) -> None:
        self.beginResetModel()
        self.doc, self.count, self._pixmaps = doc, count, {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        page = index.row() + 1
        if role == Qt.ItemDataRole.DisplayRole:
            return str(page)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmaps.get(page) or self._thumbnail(page)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Page {page}"
        return None

    def _thumbnail(self, page: int) -> QPixmap:
        """The page's thumbnail from the render cache (a document opened again finds it
        there, and no `rendered` signal would come for it), or asked for."""
        key = PageKey(self.doc, page, THUMBNAIL_DPI, 0)
        image = self.renderer.image(key)
        if image is None:
            self.renderer.request(key)
            return self._placeholder
        pixmap = QPixmap.fromImage(image).scaled(
            ICON_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )  # fmt: skip
        self._pixmaps[page] = pixmap
        return pixmap

    def _on_rendered(self, key: PageKey) -> None:
        if key.doc == self.doc and key.dpi == THUMBNAIL_DPI and 0 < key.page <= self.count:
            row = self.index(key.page - 1)
            self.dataChanged.emit(row, row, [Qt.ItemDataRole.DecorationRole])

    def _ask_again(self) -> None:
        """Thumbnail renders dropped with a jump or a zoom: the rows still shown ask again."""
        if self.count:
            self.dataChanged.emit(
                self.index(0), self.index(self.count - 1), [Qt.ItemDataRole.DecorationRole]
            )


class ThumbnailList(QListView):
    def __init__(self, model: ThumbnailModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setIconSize(ICON_SIZE)
        self.setGridSize(ICON_SIZE + QSize(16, 28))
        self.setFixedWidth(ICON_SIZE.width() + 34)
