"""Measure endpoints of the HTTP API."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["mät"])
