"""Reading one pack page: YAML front matter between `---` lines, then `## ` sections.

Kept apart from the pack rules so that the format of a single file is easy to see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..problems import Problem, too_deep_problem, yaml_error_problem


@dataclass
class Section:
    title: str
    line: int  # 1-based line of the heading
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(t for _, t in self.lines).strip("\n")


@dataclass
class PageFile:
    path: str
    meta: Any  # ruamel CommentedMap (keeps line/col for messages)
    meta_line: int  # file line of the first front-matter line
    sections: dict[str, Section]
    body_line: int


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


def read_page(
    path: str, text: str, problems: list[Problem], *, free_body: bool = False
) -> PageFile | None:
    """Split front matter from body; None (with a problem) when the file has no front matter."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, 1, "het bestand moet beginnen met '---' (YAML-voorwerk)"))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem(path, 1, 1, "het voorwerk wordt niet afgesloten met '---'"))
        return None
    for i in range(1, end):
        if "\t" in lines[i][: len(lines[i]) - len(lines[i].lstrip())]:
            problems.append(Problem(path, i + 1, 1, "tab in inspringing; gebruik spaties"))
            return None
    head = "\n".join(lines[1:end]) + "\n"
    try:
        meta = _yaml().load(head)
    except YAMLError as exc:
        problems.append(yaml_error_problem(path, exc, line_offset=1))
        return None
    except RecursionError:
        problems.append(too_deep_problem(path, head, line_offset=1))
        return None
    if not isinstance(meta, dict):
        problems.append(
            Problem(path, 2, 1, "het voorwerk moet een YAML-mapping zijn (sleutel: waarde)")
        )
        return None
    sections: dict[str, Section] = {}
    current: Section | None = None
    for i in range(end + 1, len(lines)):
        raw = lines[i]
        if raw.startswith("## "):
            title = raw[3:].strip()
            if title in sections:
                problems.append(Problem(path, i + 1, 1, f"sectie '{title}' staat er twee keer in"))
            current = Section(title, i + 1)
            sections[title] = current
        elif current is None:
            if raw.strip() and not free_body:
                problems.append(
                    Problem(path, i + 1, 1, "tekst vóór de eerste sectiekop ('## ...')")
                )
        else:
            current.lines.append((i + 1, raw))
    return PageFile(path, meta, 2, sections, end + 2)


def bullets(path: str, section: Section, problems: list[Problem]) -> list[str]:
    """The items of a `- ` list; continuation lines are indented."""
    items: list[str] = []
    for line_no, raw in section.lines:
        if not raw.strip():
            continue
        stripped = raw.lstrip()
        if raw[:2] in ("- ", "* "):
            items.append(raw[2:].strip())
        elif raw != stripped and items:
            items[-1] += " " + stripped.strip()
        else:
            problems.append(
                Problem(
                    path,
                    line_no,
                    1,
                    f"in '{section.title}' hoort elke regel een opsommingsteken '- ' te hebben",
                )
            )
    return items


def numbered_steps(text: str) -> list[str]:
    """Steps of an Aanpak text: its numbered or bulleted items, else its paragraphs."""
    steps: list[str] = []
    for raw in text.splitlines():
        s = raw.strip()
        if not s:
            continue
        head, _, rest = s.partition(" ")
        if (head[:-1].isdigit() and head.endswith(".")) or head in ("-", "*"):
            steps.append(rest.strip())
        elif steps:
            steps[-1] += " " + s
        else:
            steps.append(s)
    return steps


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]
