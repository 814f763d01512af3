"""Intervention models, one module per part: interventions and financing, participants, participant imports."""

from .imports import *  # noqa: F403
from .interventions import *  # noqa: F403
from .participants import *  # noqa: F403
