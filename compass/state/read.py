"""Reading a state file's bytes and parsing them as round-trip YAML, with good errors.

Why its own module: turning bytes into a ruamel document (encoding, BOM and CRLF
kept for the write back, the indent a person used, YAML errors as `FILE:LINE:COL`
in plain Dutch) is independent of what the document means, which
`compass.state.check` decides.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..problems import Problem, ProblemsError, too_deep_problem
from .models import BadDate


class _Constructor(RoundTripConstructor):
    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError):
            return BadDate(node.value)

    # RoundTripConstructor's own signature (with maptyp); the base classes declare a shorter one
    def construct_mapping(  # type: ignore[override]  # the round-trip signature, see above
        self, node: Any, maptyp: Any, deep: bool = False
    ) -> Any:
        # remember each mapping's node: its marks give the line index for fast saves
        nodes = self.__dict__.setdefault("wk_nodes", {})
        nodes[id(maptyp)] = node
        return super().construct_mapping(node, maptyp, deep)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def round_trip_yaml(indent: int = 2) -> YAML:
    """A fresh round-trip YAML instance (they are not thread-safe) with the file's layout."""
    y = YAML(typ="rt")
    y.Constructor = _Constructor
    y.width = 4096
    y.indent(mapping=indent, sequence=indent + 2, offset=indent)
    y.preserve_quotes = True
    y.allow_duplicate_keys = False
    return y


def dump_yaml(y: YAML, doc: Any) -> str:
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


_YAML_REASONS = {
    "mapping values are not allowed "
    "here": "hier mag geen ':' staan; klopt de inspringing, of hoort de tekst tussen "
    "aanhalingstekens?",
    "could not find expected ':'": "':' verwacht (sleutel: waarde)",
    "expected <block end>, but found": "de inspringing klopt niet",
    "found undefined alias": "onbekende verwijzing (*); zet de tekst tussen aanhalingstekens",
    "found unexpected end of "
    "stream": "het bestand houdt midden in een waarde op; ontbreekt er een aanhalingsteken?",
    "found unknown escape "
    "character": "onbekende escape (\\) tussen dubbele aanhalingstekens; gebruik enkele",
}


def _yaml_problem(name: str, exc: MarkedYAMLError) -> Problem:
    opened = {
        "while scanning a quoted scalar": "dit aanhalingsteken wordt nergens gesloten",
        "while parsing a flow "
        "sequence": "'[' zonder ']'; zet tekst die met [ begint tussen aanhalingstekens",
        "while parsing a flow "
        "mapping": "'{' zonder '}'; zet tekst die met { begint tussen aanhalingstekens",
    }
    for context, message in opened.items():
        if str(exc.context).startswith(context) and exc.context_mark is not None:
            m = exc.context_mark  # where it was opened, not where the parser gave up
            return Problem(name, m.line + 1, m.column + 1, message)
    mark = exc.problem_mark or exc.context_mark
    reason = str(exc.problem or exc.context or exc).splitlines()[0]
    for english, dutch in _YAML_REASONS.items():
        if reason.startswith(english):
            reason = dutch
            break
    else:
        reason = f"ongeldige YAML: {reason}"
    if mark is None:
        return Problem(name, None, None, reason)
    return Problem(name, mark.line + 1, mark.column + 1, reason)


def _tab_problems(name: str, text: str) -> list[Problem]:
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in lead:
            out.append(
                Problem(
                    name,
                    n,
                    lead.index("\t") + 1,
                    "tab gebruikt om in te springen; YAML kent alleen spaties",
                )
            )
    return out


def _duplicate_problems(name: str, text: str) -> list[Problem]:
    """Every duplicate key in the file (the loader stops at the first), with the earlier line."""
    out: list[Problem] = []
    try:
        root = YAML(typ="rt").compose(text)
    except YAMLError:
        return out
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            seen: dict[Any, int] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        m = key.start_mark
                        out.append(
                            Problem(
                                name,
                                m.line + 1,
                                m.column + 1,
                                f"dubbele sleutel '{key.value}'; die staat al op regel "
                                f"{seen[key.value]}",
                            )
                        )
                    else:
                        seen[key.value] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return sorted(out, key=lambda p: (p.line or 0, p.col or 0))


def load_doc(name: str, text: str, indent: int = 2, nodes: dict[int, Any] | None = None) -> Any:
    """The round-trip document of `text`; `nodes` (if given) receives id(mapping) -> its node."""
    try:
        y = round_trip_yaml(indent)
        doc = y.load(text)
        if nodes is not None:
            nodes.update(getattr(y.constructor, "wk_nodes", {}))
        return doc
    except DuplicateKeyError as exc:
        raise ProblemsError(_duplicate_problems(name, text) or [_yaml_problem(name, exc)]) from None
    except MarkedYAMLError as exc:
        problems = _tab_problems(name, text)
        first = _yaml_problem(name, exc)
        if not any(p.line == first.line for p in problems):
            problems.append(first)
        raise ProblemsError(sorted(problems, key=lambda p: (p.line or 0, p.col or 0))) from None
    except RecursionError:
        raise ProblemsError([too_deep_problem(name, text)]) from None
    except (YAMLError, ValueError, TypeError, AttributeError) as exc:
        raise ProblemsError(
            _character_problems(name, text) or [Problem(name, None, None, f"ongeldige YAML: {exc}")]
        ) from None


# What YAML cannot hold (its reader refuses these without a line and column).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _character_problems(name: str, text: str) -> list[Problem]:
    """Each character YAML refuses, with its line and column."""
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        for m in _UNPRINTABLE.finditer(line):
            code = f"U+{ord(m.group()):04X}"
            out.append(
                Problem(name, n, m.start() + 1, f"ongeldig teken {code}; YAML kan het niet lezen")
            )
    return out
