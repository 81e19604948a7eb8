"""What the report services refuse, each with a message a person can act on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from targets.models import Field

from .models import ReportEvent
from .validation import Findings


class WorkflowError(ValidationError):
    """A transition that is not allowed now; the message says why."""


class StaleVersion(WorkflowError):
    """Someone else saved the report since this user opened it."""

    def __init__(self, message: str, events: list[ReportEvent]) -> None:
        super().__init__(message)
        self.events = events


class FourEyes(WorkflowError):
    """The approver changed the figures of this revision last; another office account must."""


class ReportInvalid(WorkflowError):
    def __init__(self, findings: Findings) -> None:
        super().__init__(_("The report has errors; nothing was saved."))
        self.findings = findings


class ReportIncomplete(WorkflowError):
    """A report sent with fields neither filled in, "not applicable", nor explained."""

    def __init__(self, empty: list[Field]) -> None:
        names = ", ".join(f.label for f in empty[:8])
        more = len(empty) - 8
        if more > 0:
            names += " " + ngettext("and %(n)d more", "and %(n)d more", more) % {"n": more}
        super().__init__(
            ngettext(
                "Not sent: %(n)d field is empty (%(names)s). Enter a number, tick “not "
                "applicable”, or say why it is not reported.",
                "Not sent: %(n)d fields are empty (%(names)s). Enter a number, tick “not "
                "applicable”, or say why each is not reported.",
                len(empty),
            )
            % {"n": len(empty), "names": names}
        )
        self.empty = empty
