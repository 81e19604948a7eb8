from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from targets.programmes import programme_default
from unions.models import demo_data_loaded


def portal(request: HttpRequest) -> dict[str, Any]:
    """What base.html needs on every page: the portal's name, the demo banner, and the
    programme the footer names when the page shows none of its own (read only then)."""
    return {
        "portal_name": settings.PORTAL_NAME,
        "demo_data": demo_data_loaded(),
        "default_programme": SimpleLazyObject(lambda: programme_default(timezone.localdate())),
    }
