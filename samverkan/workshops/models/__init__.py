"""Workshop models, one module per part: the live session, themes and codebooks, the narrative."""

from .narrative import *  # noqa: F403
from .session import *  # noqa: F403
from .themes import *  # noqa: F403
