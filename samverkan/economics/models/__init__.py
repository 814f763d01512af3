"""Samhällsekonomi models, one module per part."""

from .prices import *  # noqa: F403
from .scenarios import *  # noqa: F403
