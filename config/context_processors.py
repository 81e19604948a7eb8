from typing import Any

from django.conf import settings
from django.http import HttpRequest

from unions.models import demo_data_loaded


def portal(request: HttpRequest) -> dict[str, Any]:
    """What base.html needs on every page: the portal's name and the demo banner."""
    return {"portal_name": settings.PORTAL_NAME, "demo_data": demo_data_loaded()}
