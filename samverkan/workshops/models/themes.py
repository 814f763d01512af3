"""Workshop models: themes."""

from __future__ import annotations

__all__: list[str] = []
