"""The parts of a Vietnamese administrative document (Decree 30/2020/NĐ-CP, appendix I) that
a printed report and a printed overview share: the issuing unit and the one above it, the
national heading, the number, the place and date, the signature block.

The number is left as dots for the office's document register to fill in by hand, as on any
document printed before it is numbered, signed and stamped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from unions.models import Unit, UnitKind
from unions.selectors import unit_parent_on

PLACE = "Lai Châu"

# Whose signature a unit's document carries ("TM." = on behalf of the collective).
STANDING = gettext_lazy("ON BEHALF OF THE STANDING COMMITTEE")
EXECUTIVE = gettext_lazy("ON BEHALF OF THE EXECUTIVE COMMITTEE")
SIGNERS: dict[str, object] = {UnitKind.GRASSROOTS: EXECUTIVE, UnitKind.OCCUPATIONAL: EXECUTIVE}


@dataclass(frozen=True)
class Heading:
    parent: str  # the unit above the issuer, upper case ("" for the province)
    issuer: str  # the issuing unit, upper case
    number: str  # "Số: ……/BC-LĐLĐ"
    place_date: str  # "Lai Châu, ngày 06 tháng 12 năm 2026"
    signer_on_behalf: str
    signer_title: str


def place_date(day: dt.date, place: str = PLACE) -> str:
    """'Lai Châu, ngày 06 tháng 01 năm 2026': the decree writes days below 10 and the months
    1 and 2 with a leading zero. Other languages: 'Lai Châu, 6 January 2026'."""
    if (get_language() or "vi")[:2] != "vi":
        return f"{place}, {formats.date_format(day, 'j F Y')}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _upper(text: str) -> str:
    return text.upper()


def document_heading(unit: Unit, day: dt.date, kind: str = "BC") -> Heading:
    parent = unit_parent_on(unit, min(day, unit.last_day or day))
    return Heading(
        parent=_upper(parent.name) if parent else "",
        issuer=_upper(unit.name),
        number=_("No.: ……/%(kind)s-%(code)s") % {"kind": kind, "code": unit.code},
        place_date=place_date(day),
        signer_on_behalf=str(SIGNERS.get(unit.kind, STANDING)),
        signer_title=_("CHAIRPERSON"),
    )
