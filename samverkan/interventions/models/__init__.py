"""Intervention models, one module per part: interventions and financing, participants."""

from .interventions import *  # noqa: F403
from .participants import *  # noqa: F403
