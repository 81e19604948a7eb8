"""The audit log: one row per change to the portal's data, never changed or removed.

Rows copy everything they show (the actor's username, the object's text, the values) as plain
text and integers, with no foreign keys, so they outlive the users and objects they describe.
The model refuses updates and deletes in Python; a database trigger (migration 0002) refuses
them in SQL too, so neither the ORM nor a hand-typed statement can rewrite history. Entries are
written only by `audit.chain.entry_append`, at the server's time and chained by hash; on
PostgreSQL the portal's own role may only read and add rows (README, Deployment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .display import DataFieldLabels, KeptChanges


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


class AuditVia(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    COMMAND = "command", _("Command")
    TEST = "test", _("Test")


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AuditLogIsAppendOnly("The audit log is append-only.")


def _not_here(*args: Any, **kwargs: Any) -> NoReturn:
    raise AuditLogIsAppendOnly(
        "Audit entries are written by audit.chain.entry_append only, at the server's time."
    )


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    update_or_create = _refuse
    bulk_create = _not_here
    abulk_create = _not_here


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now)
    # Copied, not linked: the entry must survive the deletion of the account.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    via = models.CharField(_("via"), max_length=8, choices=AuditVia.choices)
    # The request path or the management command's name.
    via_detail = models.CharField(_("from"), max_length=200, blank=True)
    app_label = models.CharField(_("application"), max_length=50)
    model = models.CharField(_("model"), max_length=50)
    object_pk = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("action"), max_length=8, choices=AuditAction.choices)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    # The hash chain (audit.chain): the previous entry's hash, and this entry's.
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    chain_hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["at"], name="audit_entry_at"),
            models.Index(fields=["model", "object_pk"], name="audit_entry_object"),
            models.Index(fields=["actor_id"], name="audit_entry_actor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="audit_auditentry_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(via__in=AuditVia.values), name="audit_auditentry_via_valid"
            ),
            # Two writers that raced past the lock would fork the chain; the second one fails.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_auditentry_one_successor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        _not_here()

    def append_to_log(self) -> None:
        """The insert itself, for audit.chain.entry_append, which has set the time and hash."""
        if not self._state.adding or not self.chain_hash:
            _refuse()
        super().save(force_insert=True)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()

    def changes(
        self, fields: DataFieldLabels | None = None, kept: KeptChanges | None = None
    ) -> list[tuple[str, str | None, str | None]]:
        """(field label, before, after) for every field the entry mentions, in a stable order,
        in the reader's language (see audit.display); `fields` names data fields once for a
        page of entries."""
        from .display import DataFieldLabels, KeptChanges, value_text

        before, after = self.before or {}, self.after or {}
        names = list(before) + [name for name in after if name not in before]
        where = (self.app_label, self.model)
        fields = fields or DataFieldLabels()
        return [
            (
                self.field_label(name),
                value_text(*where, name, before.get(name), fields),
                value_text(*where, name, after.get(name), fields),
            )
            for name in names
        ] + (kept or KeptChanges()).rows(self.app_label, self.model, self.object_pk, fields)

    def field_label(self, name: str) -> str:
        """The field's label today in the reader's language, else the name as recorded."""
        from .display import field_label

        return field_label(self.app_label, self.model, name)

    def object_text(self, fields: DataFieldLabels | None = None) -> str:
        """The object as recorded, a report value's data field named by its label."""
        from .display import object_text

        return object_text(self.app_label, self.model, self.object_repr, fields)
