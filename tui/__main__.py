"""`python -m tui`: the `wijkkompas` command, for servers that start sessions as a command.

`serve --web` (textual-serve) starts every browser session as
`python -m tui open STATE --workshop [--facilitator NAAM]`.
"""

from __future__ import annotations

from .launcher import main

if __name__ == "__main__":
    main()
