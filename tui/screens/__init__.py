"""The app's screens: the navigator, and the dialogs over it."""

from pathlib import Path

# Every dialog's CSS_PATH: Textual adds these rules to the app's stylesheet when the first
# dialog is shown (WijkkompasApp._warm_dialogs does it ahead), so the first paint parses none.
DIALOG_CSS = Path(__file__).parent.parent / "dialogs.tcss"
