"""The main window, split by concern: the window itself, its action table, long work in the
status bar, and the commands for importing, navigating, annotating, exporting and the library."""

from ui.main_window.window import MainWindow

__all__ = ["MainWindow"]
