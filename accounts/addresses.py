"""The address a request came from, for login throttling (django-axes).

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address, the same for everyone, so
five wrong passwords from anywhere would lock a username out for all. Each proxy appends the
address it received the request from to X-Forwarded-For; with TRUSTED_PROXY_COUNT proxies in
front of the portal, the client is the entry that many places from the right. Entries further
left were written by the client and are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < proxies:
        return remote  # not through every proxy (or misconfigured): the nearest address
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
