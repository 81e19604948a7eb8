from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.identifiers import look_alike


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    OFFICE = "office", _("Provincial office staff")
    REPORTER = "reporter", _("Reporter")
    COMMITTEE = "committee", _("Standing Committee reader")


class User(AbstractUser):
    """An account belongs to one unit and has one role; the unit bounds what it may see."""

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.REPORTER)
    unit = models.ForeignKey(
        "unions.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.REPORTER) | Q(unit__isnull=False),
                name="accounts_user_reporter_has_unit",
            ),
        ]

    def clean(self) -> None:
        """For every form built on the model (Django's admin, add and change): a reporter needs
        a unit, and a username that a reader could take for another account's is refused
        (unions.identifiers.skeleton)."""
        super().clean()
        if self.role == Role.REPORTER and self.unit_id is None:
            raise ValidationError({"unit": _("A reporter must belong to a unit.")})
        if not self.username:  # refused already by the form's own check
            return
        others = User.objects.exclude(pk=self.pk).values_list("username", flat=True)
        other = look_alike(self.username, others)
        if other is not None:
            raise ValidationError(
                {
                    "username": _(
                        "The username %(username)s is too like %(other)s, another account's."
                    )
                    % {"username": self.username, "other": other}
                }
            )

    @property
    def is_office(self) -> bool:
        return self.role in (Role.OFFICE, Role.ADMIN) or self.is_superuser

    @property
    def is_reporter(self) -> bool:
        return self.role == Role.REPORTER and not self.is_superuser

    @property
    def sees_whole_province(self) -> bool:
        return self.is_superuser or self.role in (Role.ADMIN, Role.OFFICE, Role.COMMITTEE)

    @property
    def can_manage_units(self) -> bool:
        return self.is_office

    @property
    def can_manage_accounts(self) -> bool:
        """Accounts are managed by administrators only (office staff manage units, not people)."""
        return self.role == Role.ADMIN or self.is_superuser
