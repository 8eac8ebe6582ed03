"""The shapes of a pack's front matter, checked by pydantic at the edge.

Its own module so that the loader (`load`) and the completeness rules (`rules`)
can both use them without importing each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..model import Track

SLUG_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"


# --- the shapes of the files (pydantic at the edge) -------------------------------


class _Edge(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PackMeta(_Edge):
    schema_: int = Field(alias="schema")
    title: str = Field(min_length=1)
    language: str = "nl"
    policy_date: dt.date | None = None
    stakeholders: dict[str, str] = Field(min_length=1)
    flags: dict[str, str] = {}


class KnooppuntHead(_Edge):
    number: int = Field(ge=1)
    slug: str = Field(pattern=SLUG_RE)
    title: str = Field(min_length=1)
    phase: int = Field(ge=1, le=6)
    track: Track
    stakeholders: list[str] = Field(min_length=1)
    flags: list[str] = []
    links: list[str] = []
    sporen: list[Literal["A", "B", "C", "D", "E", "F"]] = []
    checked: dt.date | None = None
    wetgeving: list[str] = []

    @field_validator("stakeholders", "flags", "links", "sporen", "wetgeving", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return [] if v is None else v


class PhaseHead(_Edge):
    number: int = Field(ge=1, le=6)
    slug: str = Field(pattern=SLUG_RE)
    title: str = Field(min_length=1)
    dominant_track: Track


class TrackHead(_Edge):
    id: Track
    title: str = Field(min_length=1)


class AboutHead(_Edge):
    title: str = Field(min_length=1)


class LawHead(_Edge):
    """wetgeving.md: its title, the date it was checked, and its topics (id -> section title)."""

    title: str = Field(min_length=1)
    checked: dt.date
    topics: dict[str, str] = Field(min_length=1)
