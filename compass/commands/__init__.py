"""One module per group of commands; each handler takes parsed args and returns an exit code."""

# Here, not in `common`: the parser needs it, and opening the app should not import
# `common` (argparse, json) on its way to the first paint.
DEFAULT_STATE = "wijkkompas.yaml"  # the project file a command uses when none is named
