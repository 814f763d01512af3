"""Intervention models: participants."""

from __future__ import annotations

__all__: list[str] = []
