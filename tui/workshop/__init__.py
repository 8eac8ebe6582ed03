"""The workshop wing: serving the navigator to a room over SSH or the web.

It sits above the rest of `tui` (an import-linter contract keeps it there): the
screens never import it. `serve` checks the command line, `ssh` and `room` run the
server side, `zygote` forks sessions, `session` is one participant's app, and
`follow` is the room looking along with the facilitator.
"""
