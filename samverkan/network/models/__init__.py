"""Samverkanskarta models, one module per part."""

from .directory import *  # noqa: F403
from .survey import *  # noqa: F403
