"""The choices at the top of each dashboard: year or period, tree, provisional data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from reports.periods import quarter_label, quarter_of
from rollup.engine import AS_NOW, AS_WAS
from targets.models import Programme
from targets.programmes import first_day, programmes_shown

TREE_CHOICES = [
    (AS_WAS, _("as it was")),
    (AS_NOW, _("as reorganised (today's tree)")),
]


@dataclass(frozen=True)
class Params:
    year: int
    period: str
    tree: str
    provisional: bool
    programme: str = ""  # the programme's code when the reader chose one


@dataclass(frozen=True)
class Shown:
    """Which choices a page offers: a year (the default), or a period and its default."""

    with_period: bool = False
    with_year: bool = True
    default_period: str = "term"


def term_years(programme: Programme) -> list[int]:
    return list(range(programme.term_start.year, programme.term_end.year + 1))


def default_year(programme: Programme, today: dt.date) -> int:
    years = term_years(programme)
    return min(max(today.year, years[0]), years[-1])


class DashboardForm(forms.Form):
    """Read from the query string; a bad value falls back to the default with a message."""

    programme = forms.ChoiceField(label=_("Programme"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    tree = forms.ChoiceField(label=_("Tree"), choices=TREE_CHOICES, required=False)
    provisional = forms.BooleanField(label=_("Include submitted (provisional)"), required=False)

    def __init__(
        self, data: QueryDict, *, programme: Programme, today: dt.date, office: bool, shown: Shown
    ) -> None:
        self.defaults = {
            "year": default_year(programme, today),
            "period": shown.default_period,
            "tree": AS_WAS,
            "provisional": False,
        }
        merged = QueryDict(mutable=True)
        merged.update({k: str(v) for k, v in self.defaults.items() if k != "provisional"})
        for key in data:
            merged.setlist(key, data.getlist(key))
        super().__init__(merged)
        self.shown_programme = programme
        self._choices_set(programme, today)
        if shown.with_period or not shown.with_year:
            del self.fields["year"]
        if not shown.with_period:
            del self.fields["period"]
        if not office:
            del self.fields["provisional"]

    def _choices_set(self, programme: Programme, today: dt.date) -> None:
        """The programmes shown, the term's years, and its periods to date."""
        years = term_years(programme)
        every = programmes_shown().order_by("-term_start", "code").values_list("code", "number")
        self.fields["programme"].choices = list(every)  # type: ignore[attr-defined]
        self.fields["programme"].initial = programme.code
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        # Quarters from the first one reported (the programme's issue), to the current one.
        first = quarter_of(first_day(programme))
        # The value is the code the URL carries (2026Q3); the reader sees "Quý 3/2026".
        quarters = [
            (f"{y}Q{q}", quarter_label(y, q))
            for y in years
            for q in range(1, 5)
            if (y, q) >= first and dt.date(y, 3 * q, 1) < today
        ]
        self.fields["period"].choices = (  # type: ignore[attr-defined]
            [("term", _("term to date"))] + [(str(y), str(y)) for y in years]
        ) + quarters

    def params(self) -> Params:
        values: dict[str, Any] = dict(self.defaults)
        if self.is_valid():
            values.update({k: v for k, v in self.cleaned_data.items() if v not in ("", None)})
        else:
            good = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
            values.update({k: v for k, v in good.items() if v not in ("", None)})
        chosen = self.data.get("programme", "")
        return Params(
            values["year"],
            values["period"],
            values["tree"],
            values["provisional"],
            self.shown_programme.code if chosen else "",
        )
