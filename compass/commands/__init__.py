"""One module per group of commands; each handler takes parsed args and returns an exit code."""
