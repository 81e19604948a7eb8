"""Who is changing data right now, for the audit log.

The middleware names the request; management commands and tests have no request, so entries
written outside one say "command" (with the command's name) or "test" and have no actor.
`audit_as` lets any other entry point (a script, a worker) name itself explicitly.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from .models import AuditVia

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User


@dataclass(frozen=True)
class AuditContext:
    via: str
    detail: str = ""
    # The request is kept rather than its user so that reading request.user (a session query)
    # happens only when something is written, never on a page that only reads.
    request: HttpRequest | None = None
    user: User | None = None

    def actor(self) -> tuple[int | None, str]:
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return None, ""
        return user.pk, user.get_username()


_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def _outside_requests() -> AuditContext:
    if getattr(settings, "TESTING", False):
        return AuditContext(via=AuditVia.TEST)
    argv = sys.argv
    if len(argv) > 1 and Path(argv[0]).name in ("manage.py", "django-admin", "__main__.py"):
        return AuditContext(via=AuditVia.COMMAND, detail=argv[1][:200])
    return AuditContext(via=AuditVia.COMMAND, detail=Path(argv[0]).name[:200] if argv else "")


def audit_context() -> AuditContext:
    return _current.get() or _outside_requests()


@contextmanager
def audit_as(
    *,
    via: str,
    detail: str = "",
    request: HttpRequest | None = None,
    user: User | None = None,
) -> Iterator[AuditContext]:
    """Entries written inside the block name this actor and channel."""
    context = AuditContext(via=via, detail=detail[:200], request=request, user=user)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
