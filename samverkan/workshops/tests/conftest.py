from __future__ import annotations

import pytest

from samverkan.workshops import wordcloud


@pytest.fixture(autouse=True, scope="session")
def _lemmatiser_loaded() -> None:
    """The screen leaves the cloud out while its process loads the dictionary; tests look at the cloud, so load it."""
    wordcloud.warm()
