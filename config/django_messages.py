"""Django's own messages the portal shows, listed so that `makemessages` keeps their
Vietnamese in the portal's catalogue (Django's catalogue words them differently or not at
all). Never called: the calls are here only to be found."""

from django.utils.translation import gettext, ngettext


def _catalogue() -> list[str]:  # pragma: no cover - read by makemessages, never run
    return [
        gettext("Null characters are not allowed."),
        ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            8,
        ),
    ]
