"""Wijkkompas core: the process pack, the project state and everything a UI needs, without a UI."""

__version__ = "0.1.0"
