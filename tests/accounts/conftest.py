import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The forgotten-password limits count in the cache; each test starts from none."""
    cache.clear()
    yield
    cache.clear()
