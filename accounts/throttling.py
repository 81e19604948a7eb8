"""Login throttling per username and address, and per address across usernames.

django-axes counts failures for each of AXES_LOCKOUT_PARAMETERS and locks when the largest count
reaches AXES_FAILURE_LIMIT. One limit for both would let five typos in a whole office (one
address behind its router) lock everyone there; so the count per address alone is scaled:
five failures lock a username at an address, twenty failures from an address lock the
address, whichever usernames were guessed.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

ADDRESS_FAILURE_LIMIT = 20


def _sum(attempts: Any) -> int:
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class AddressAwareHandler(AxesDatabaseHandler):  # type: ignore[misc]
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        per_pair, per_address = (_sum(a) for a in self.get_user_attempts(request, credentials))
        limit: int = settings.AXES_FAILURE_LIMIT
        return max(per_pair, per_address * limit // ADDRESS_FAILURE_LIMIT)
