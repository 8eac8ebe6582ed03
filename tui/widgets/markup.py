"""The small Markdown subset our pages use, rendered straight to Rich.

`rich.markdown` pulls in markdown_it and pygments (~40 ms, 2.4 MiB) on the app's
start path, for content that only ever uses paragraphs, `-`/`*` and `1.` lists
(items may continue on indented lines) and inline `*em*`/`_em_`, `**strong**`
and `` `code` ``. Anything else is shown as the literal text: content is never
read as Rich markup, so a `[` prints as `[`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

EMPHASIS = "italic"
STRONG = "bold"
CODE = "bold cyan"
MARKER = "bold"

_BULLET = re.compile(r"[-*]\s+(.*)")
_NUMBER = re.compile(r"(\d{1,9})[.)]\s+(.*)")
_WORD = re.compile(r"\w")


class Hanging:
    """Text wrapped under a marker (a list item's ` • `, or none for a paragraph), lines aligned
    after it.

    Lines come out without trailing spaces, so what a test or a copy sees is what the page shows.
    """

    def __init__(self, marker: str, text: Text) -> None:
        self.marker = marker
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = cell_len(self.marker)
        marker, pad = Segment(self.marker, console.get_style(MARKER)), Segment(" " * indent)
        for i, line in enumerate(self.text.wrap(console, max(options.max_width - indent, 1))):
            yield marker if i == 0 else pad
            line.rstrip()
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = cell_len(self.marker)
        inner = Measurement.get(console, options, self.text)
        return Measurement(inner.minimum + indent, inner.maximum + indent)


def _closing(s: str, delim: str, start: int) -> int:
    """Index of the delimiter that closes one opened just before `start`, or -1."""
    at = s.find(delim, start)
    while at != -1:
        before_ok = at > start and not s[at - 1].isspace()
        after = s[at + len(delim) : at + len(delim) + 1]
        lone = delim not in "*`" or delim not in (
            after,
            s[at - 1],
        )  # not the `*` of a `**`, nor part of ``
        if before_ok and lone and not (delim == "_" and _WORD.match(after)):
            return at
        at = s.find(delim, at + 1)
    return -1


def _inline(s: str, out: Text, style: str = "") -> None:
    """Append `s` to `out`, styling the spans between matched delimiters; unmatched ones stay
    literal."""
    i = plain = 0
    while i < len(s):
        if s.startswith("``", i):  # only single-backtick code spans: a fence or ``x`` stays literal
            i = len(s) - len(s[i:].lstrip("`"))
            continue
        delim = "**" if s.startswith("**", i) else s[i] if s[i] in "*_`" else ""
        opens = delim and i + len(delim) < len(s) and not s[i + len(delim)].isspace()
        if opens and delim == "_" and i > 0 and _WORD.match(s[i - 1]):
            opens = False
        end = _closing(s, delim, i + len(delim)) if opens else -1
        if end == -1:
            i += len(delim) or 1
            continue
        out.append(s[plain:i], style or None)
        inner = s[i + len(delim) : end]
        if delim == "`":
            out.append(inner, f"{style} {CODE}".strip())
        else:
            _inline(inner, out, f"{style} {STRONG if delim == '**' else EMPHASIS}".strip())
        i = plain = end + len(delim)
    out.append(s[plain:], style or None)


def inline(source: str) -> Text:
    """One paragraph or list item's text, with its emphasis, strong and code spans styled."""
    text = Text()
    _inline(source, text)
    return text


def _item(line: str, in_paragraph: bool) -> tuple[str, str, str] | None:
    """(kind, number, text) if `line` starts a list item; only `1.` may interrupt a paragraph."""
    if m := _BULLET.fullmatch(line):
        return "bullet", "", m.group(1)
    if (m := _NUMBER.fullmatch(line)) and not (in_paragraph and m.group(1) != "1"):
        return "number", m.group(1), m.group(2)
    return None


def _blocks(source: str) -> Iterator[RenderableType]:
    """Paragraphs and lists, in order: a blank line ends a block, as does a line of another kind."""
    kind = ""  # "", "para", "bullet" or "number"
    texts: list[str] = []  # the paragraph's text, or each list item's
    start = 1

    def flush() -> Iterator[RenderableType]:
        if kind == "para":
            yield Hanging("", inline(texts[0]))
        elif kind == "bullet":
            yield Group(*(Hanging(" • ", inline(item)) for item in texts))
        elif kind == "number":
            width = len(str(start + len(texts) - 1)) + 2
            yield Group(
                *(
                    Hanging(f"{start + n}.".rjust(width) + " ", inline(t))
                    for n, t in enumerate(texts)
                )
            )

    for raw in source.splitlines():
        line = raw.strip()
        in_list = kind in ("bullet", "number")
        item = None if in_list and raw[:1].isspace() else _item(line, kind == "para")
        if not line or (
            item and item[0] != kind
        ):  # a blank line, or another kind of list, ends the block
            yield from flush()
            kind, texts = "", []
        if not line:
            continue
        if item:
            if item[0] != kind:
                kind, start = item[0], int(item[1] or 1)
            texts.append(item[2])
        elif (
            kind
        ):  # continues the paragraph, or the last item (indented or not; a nested list is text)
            texts[-1] += " " + line
        else:
            kind, texts = "para", [line]
    yield from flush()


def render_markdown(source: str) -> RenderableType:
    """The blocks of `source` with one blank line between them, as rich.markdown lays them out."""
    parts: list[RenderableType] = []
    for block in _blocks(source):
        parts += [Text(""), block] if parts else [block]
    return Group(*parts)
