"""An entry's origin in words: "POST /reports/923/approve/" reads "duyệt báo cáo Quý 2/2026
của LDLD-TD" ("approved the report for Quarter 2/2026 of LDLD-TD"). Worked out from what was
recorded (the request's URL and the object's description) when the page is read, without a
query: the entry itself is never rewritten.
"""

from __future__ import annotations

import re

from django.urls import Resolver404, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.formats import quarter_label

# URL names of the pages that write, and what a person did there.
DEEDS: dict[str, Promise] = {
    "reports:open": gettext_lazy("opened the report"),
    "reports:edit": gettext_lazy("saved the report"),
    "reports:submit": gettext_lazy("sent the report"),
    "reports:return": gettext_lazy("returned the report"),
    "reports:approve": gettext_lazy("approved the report"),
    "reports:reopen": gettext_lazy("reopened the report"),
    "reports:excel_confirm": gettext_lazy("saved the report from Excel"),
    "unions:new": gettext_lazy("created the unit"),
    "unions:edit": gettext_lazy("edited the unit"),
    "unions:move": gettext_lazy("moved the unit"),
    "unions:move_children": gettext_lazy("moved the units below"),
    "unions:dissolve": gettext_lazy("dissolved the unit"),
    "unions:merge": gettext_lazy("merged units"),
    "accounts:create": gettext_lazy("created the account"),
    "accounts:edit": gettext_lazy("edited the account"),
    "accounts:password": gettext_lazy("set the account's password"),
    "accounts:active": gettext_lazy("enabled or disabled the account"),
    "accounts:import": gettext_lazy("created accounts from a file"),
    "accounts:password_change": gettext_lazy("changed their own password"),
    "accounts:password_reset_confirm": gettext_lazy("chose a new password from an emailed link"),
}
# How the recorder describes a report ("LDLD-TD 2026Q2 r1"), alone or before " · field".
_REPORT = re.compile(r"^(?P<unit>\S+) (?P<year>\d{4})Q(?P<quarter>[1-4]) r\d+")


def via_words(via_detail: str, object_repr: str) -> str:
    """The deed in words, or the recorded detail when the page is not one we name."""
    method, _space, path = via_detail.partition(" ")
    if method != "POST" or not path.startswith("/"):
        return via_detail
    try:
        name = resolve(path.split("?", 1)[0]).view_name
    except Resolver404:
        return via_detail
    deed = DEEDS.get(name)
    if deed is None:
        return via_detail
    report = _REPORT.match(object_repr) if name.startswith("reports:") else None
    if report is None:
        return str(deed)
    words = {
        "deed": deed,
        "period": quarter_label(int(report["year"]), int(report["quarter"])),
        "unit": report["unit"],
    }
    return _("%(deed)s for %(period)s of %(unit)s") % words
