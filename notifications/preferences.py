"""What an account chose to receive, read for its account page and written from its form."""

from __future__ import annotations

from django.db import transaction

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


@transaction.atomic
def preferences_set(account: User, ticked: set[str]) -> Preference:
    """Saves the account's choices among those that concern it: a ticked one is on, the others
    off; choices that do not concern it keep their value."""
    preference = preference_for(account)
    for name in preference_fields(account):
        setattr(preference, name, name in ticked)
    preference.save()
    return preference
