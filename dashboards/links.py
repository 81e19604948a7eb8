"""Links to unit pages for lists of hundreds of units, with one reverse() for the list."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse

_SLOT = "__code__"
# A path argument as reverse() quotes it: RFC 3986 sub-delimiters, "~", ":" and "@" kept.
_SAFE_IN_PATH = "!$&'()*+,;=~:@"


def unit_page_url() -> Callable[[str], str]:
    """Unit code → the path of its dashboard page, as reverse("dashboards:unit") writes it
    (a test compares them over awkward codes), without resolving the URL again per unit."""
    pattern = reverse("dashboards:unit", args=[_SLOT])
    return lambda code: pattern.replace(_SLOT, quote(code, safe=_SAFE_IN_PATH))
