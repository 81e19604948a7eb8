"""The breakdown of one indicator by reporting unit: a sortable table and its filters."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

import django_filters
import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData
from django_tables2.utils import Accessor, OrderBy

from rollup.arithmetic import Status
from unions.models import UnitKind

from .links import unit_page_url
from .selectors import BreakdownRow
from .templatetags.figures import as_of, badge, coverage, figure, status_word, target


class Rows(list[BreakdownRow]):
    """A list that django-filter can treat as a queryset (it reads `.model`, calls `.all()`)."""

    model = None

    def all(self) -> Rows:
        return self


class SortedRows(TableListData):  # type: ignore[misc]
    """The rows as django-tables2 holds them, sorted as it sorts them (by each column's
    accessor, descending where asked, ties kept in their order) with each row's key computed
    once: its own sort compares through the accessors, resolving them twice a comparison,
    which is most of a sorted page's time with thousands of rows."""

    def order_by(self, aliases: Sequence[str]) -> None:
        accessors: list[OrderBy] = []
        for alias in aliases:
            column = self.table.columns[OrderBy(alias).bare]
            # As `TableListData.order_by`: the column's own order, or its opposite.
            if alias[0] != column.order_by_alias[0]:
                accessors += column.order_by.opposite
            else:
                accessors += column.order_by
        # Sorting by the least significant key first keeps the more significant ones'. Every
        # column's accessor is a chain of attributes: read as such, not through
        # `Accessor.resolve` (its checks were 6 ms of 7 sorting 4,240 rows).
        for order in reversed(accessors):
            key = attrgetter(order.bare.replace(Accessor.SEPARATOR, "."))
            self.data.sort(key=key, reverse=order.is_descending)


class BreakdownFilter(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.value) for s in Status],
        method="by_status",
        empty_label=_("any"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of unit"), choices=UnitKind.choices, method="by_kind", empty_label=_("any")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["status"].extra["choices"] = [(s.value, status_word(s)) for s in Status]

    def filter_queryset(self, queryset: Rows) -> Rows:
        # django-filter insists on a QuerySet; the rows are computed, so filter the list.
        for name, value in self.form.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def by_status(self, rows: Rows, name: str, value: str) -> Rows:
        return Rows(r for r in rows if r.status == value)

    def by_kind(self, rows: Rows, name: str, value: str) -> Rows:
        return Rows(r for r in rows if r.kind == value)


class BreakdownTable(tables.Table):  # type: ignore[misc]
    unit = tables.Column(verbose_name=_("Reporting unit"), accessor="name_key")
    kind = tables.Column(verbose_name=_("Kind"), accessor="kind")
    value = tables.Column(
        verbose_name=_("Value (n/d)"),
        accessor="sort_value",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    target = tables.Column(verbose_name=_("Target"), accessor="result__target", orderable=False)
    status = tables.Column(verbose_name=_("Status"), accessor="status_rank")
    coverage = tables.Column(verbose_name=_("Coverage"), accessor="reported")

    class Meta:
        template_name = "dashboards/breakdown_table.html"
        attrs = {"class": "indicators breakdown"}
        orderable = True

    def __init__(
        self,
        *args: Any,
        query: str = "",
        latest: tuple[int, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.query = query
        self.latest = latest  # the period's last quarter: older figures say which they are
        self.unit_url = unit_page_url()
        # Each kind's name in the reader's language, once: `get_kind_display` hashes every
        # choice (a translation each) for every row.
        self.kind_names = {kind: str(name) for kind, name in UnitKind.choices}

    def body_html(self) -> SafeString:
        """The rows of the current page, each cell from its `render_*` method: what
        django-tables2's row template writes, built here at a tenth of its cost (it resolves
        each cell through the template engine, most of the page's time for 100 rows)."""
        columns = [
            (getattr(self, f"render_{column.name}"), column.attrs["td"].as_html())
            for column in self.columns
        ]
        rows = [
            format_html(
                '<tr class="{}">{}</tr>',
                "odd" if i % 2 else "even",
                format_html_join(
                    "", "<td {}>{}</td>", ((attrs, render(row.record)) for render, attrs in columns)
                ),
            )
            for i, row in enumerate(self.paginated_rows)
        ]
        if not rows and self.empty_text:
            rows.append(
                format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), self.empty_text)
            )
        return mark_safe("".join(rows))  # noqa: S308 - every part went through format_html

    def render_unit(self, record: BreakdownRow) -> str:
        url = self.unit_url(record.unit.url_key)
        closed = (
            ""
            if record.expected_now
            else format_html(' <span class="badge closed">{}</span>', _("not reporting now"))
        )
        if not record.in_sum and record.result.numerator is not None:
            closed = format_html(
                '{} <span class="badge apart">{}</span>', closed, _("not added to the total")
            )
        return format_html('<a href="{}{}">{}</a>{}', url, self.query, record.unit.name, closed)

    def render_kind(self, record: BreakdownRow) -> str:
        return self.kind_names.get(record.kind, record.kind)

    def render_value(self, record: BreakdownRow) -> str:
        return format_html("{}{}", figure(record.result), as_of(record.result, self.latest))

    def render_target(self, record: BreakdownRow) -> str:
        return target(record.result)

    def render_status(self, record: BreakdownRow) -> str:
        return badge(record.status)

    def render_coverage(self, record: BreakdownRow) -> str:
        return coverage(record.result.coverage)
