"""Shared fixtures: a small valid pack on disk, and the bundled pack."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from compass.model import ProcessPack
from compass.pack import load_pack
from tests.fixtures.make_mini_pack import make_mini_pack

ROOT = Path(__file__).resolve().parent.parent

# CI checks the same generated examples every run (`HYPOTHESIS_PROFILE=ci` in .ci/run), so
# a landing is not decided by a lucky draw; a developer's run draws new ones each time and
# keeps finding cases (add each one found as a plain test).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Each test session gets its own pack cache, so tests never see a stale one."""
    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session")
def mini_pack_dir(tmp_path_factory) -> Path:
    return make_mini_pack(tmp_path_factory.mktemp("pack") / "mini")


@pytest.fixture(scope="session")
def mini_pack(mini_pack_dir) -> ProcessPack:
    os.environ.setdefault("WIJKKOMPAS_CACHE_DIR", str(mini_pack_dir.parent / "cache"))
    return load_pack(mini_pack_dir, use_cache=False)


@pytest.fixture(scope="session")
def bundled_pack() -> ProcessPack:
    return load_pack(use_cache=False)
