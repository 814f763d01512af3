"""Samverkanskarta: survey (filled by its part)."""

from __future__ import annotations

__all__: list[str] = []
