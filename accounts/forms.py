"""Forms for the account pages.

The unit is typed by its code and must be open today; the password fields run Django's
password validators against the account they are for. Each form's `submit()` makes one call
of a service in accounts.services.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm, UsernameField
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unions.forms import UnitCodeField
from unions.models import Unit

from .models import Role, User
from .services import (
    AccountData,
    account_create,
    account_set_password,
    account_update,
    username_look_alike,
)


class AccountFilter(django_filters.FilterSet):  # type: ignore[misc]
    YES, NO = "yes", "no"

    q = django_filters.CharFilter(label=_("Username, name or email"), method="filter_text")
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, empty_label=_("All roles")
    )
    unit = django_filters.CharFilter(label=_("Unit code"), method="filter_unit")
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(YES, _("Active")), (NO, _("Disabled"))],
        empty_label=_("All"),
        method="filter_active",
    )

    class Meta:
        model = User
        fields = ["q", "role", "unit", "active"]

    def filter_text(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(username__icontains=text) | Q(first_name__icontains=text) | Q(email__icontains=text)
        )

    def filter_unit(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        code = value.strip()
        return queryset.filter(unit__code__iexact=code) if code else queryset

    def filter_active(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(is_active=value == self.YES) if value else queryset


class AccountDetailsForm(forms.Form):
    """Name, email, role and unit: what creating and editing an account share."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = UnitCodeField(
        label=_("Unit code"),
        required=False,
        help_text=_("Required for reporters; the account sees this unit and the units below it."),
    )

    def __init__(self, *args: Any, account: User | None = None, **kwargs: Any) -> None:
        self.account = account
        if account is not None:
            kwargs.setdefault(
                "initial",
                {
                    "full_name": account.get_full_name(),
                    "email": account.email,
                    "role": account.role,
                    "unit": account.unit.code if account.unit else "",
                },
            )
        super().__init__(*args, **kwargs)

    def clean_unit(self) -> Unit | None:
        unit: Unit | None = self.cleaned_data["unit"]
        unchanged = self.account is not None and unit == self.account.unit
        today = timezone.localdate()
        if unit is not None and not unchanged and not unit.is_active_on(today):
            raise forms.ValidationError(
                _("The unit %(code)s is closed; choose the unit that took over its work."),
                params={"code": unit.code},
            )
        return unit

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") == Role.REPORTER and "unit" in cleaned and cleaned["unit"] is None:
            self.add_error("unit", _("A reporter must belong to a unit."))
        return cleaned

    def data_out(self) -> AccountData:
        d = self.cleaned_data
        return AccountData(
            full_name=d["full_name"], email=d["email"], role=d["role"], unit=d["unit"]
        )


class AccountEditForm(AccountDetailsForm):
    def submit(self, actor: User) -> User:
        assert self.account is not None
        return account_update(self.account, self.data_out(), actor=actor)


class AccountCreateForm(AccountDetailsForm):
    username = UsernameField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "full_name", "email", "role", "unit", "password1", "password2"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("An account with this username already exists."))
        other = username_look_alike(username)
        if other is not None:
            raise forms.ValidationError(
                _("The username %(username)s is too like %(other)s, another account's."),
                params={"username": username, "other": other},
            )
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            # The validators compare the password with the account's name and email too.
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("full_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def submit(self, actor: User) -> User:
        d = self.cleaned_data
        return account_create(d["username"], self.data_out(), d["password1"], actor=actor)


class AccountPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Django's own form (two fields, the validators run against the account)."""

    def submit(self, actor: User) -> None:
        account_set_password(self.user, self.cleaned_data["new_password1"], actor=actor)


class LoginForm(AuthenticationForm):
    """Django's login form, but a username longer than any account's is the usual wrong
    username or password before anything (django-axes' log included) stores it."""

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        limit = User._meta.get_field("username").max_length or 150
        if isinstance(username, str) and len(username) > limit:
            raise self.get_invalid_login_error()
        return super().clean()
