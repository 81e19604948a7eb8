"""What an account chose to receive, read for its account page and written from its form."""

from __future__ import annotations

from accounts.models import User

from .models import Preference

CHOICES = ("submitted", "returned", "approved", "reopened", "reminder")


def preference_for(account: User) -> Preference:
    """The account's choices; an unsaved row (everything on) when it never chose."""
    found = Preference.objects.filter(account=account).first()
    return found or Preference(account=account)


def preference_fields(account: User) -> list[str]:
    """The choices that concern the account: office staff hear of sendings, reporters of the
    rest."""
    if account.is_office:
        return ["submitted"]
    if account.is_reporter:
        return ["returned", "approved", "reopened", "reminder"]
    return []
