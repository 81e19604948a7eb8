"""The direct widgets write exactly what Django's widget templates write."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from lib import widgets
from reports.forms import ReportForm

VALUES = [None, "", "0", "1.234", 'a "quoted" <b>&amp; value', "Nậm Nhùn", 12, True, False,
          mark_safe("<i>safe</i>")]  # fmt: skip
ATTRS = [
    {},
    {"inputmode": "numeric", "autocomplete": "off", "class": "number"},
    {"id": "id_v_members", "required": True, "disabled": False, "aria-describedby": "x y"},
    {"data-x": '"<&>"', "rows": 3, "maxlength": 300},
]
PAIRS = [
    (widgets.TextInput, forms.TextInput),
    (widgets.HiddenInput, forms.HiddenInput),
    (widgets.CheckboxInput, forms.CheckboxInput),
    (widgets.Textarea, forms.Textarea),
]


@pytest.mark.parametrize(("direct", "django"), PAIRS)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
def test_a_direct_widget_writes_what_the_template_writes(direct, django, attrs, value):
    expected = django(attrs=dict(attrs)).render("v_members", value, attrs={"id": "id_v"})
    assert direct(attrs=dict(attrs)).render("v_members", value, attrs={"id": "id_v"}) == expected


def test_the_report_form_renders_the_same_with_either_widgets(programme):
    """The whole form, bound to typed input with errors, written both ways."""
    from targets.models import Field

    fields = list(Field.objects.order_by("order")[:6])
    assert len(fields) == 6
    data = {"version": "3"}
    for i, f in enumerate(fields):
        data[f"v_{f.code}"] = ["12", "1.234", "abc <x>", "", "-1", "9"][i]
        data[f"na_{f.code}"] = "on" if i == 3 else ""
        data[f"nr_{f.code}"] = 'không "có"' if i == 3 else ""
    direct = ReportForm(data, fields=fields, task_groups=[])
    plain = ReportForm(data, fields=fields, task_groups=[])
    plain_kind: dict[type, type[forms.Widget]] = {
        widgets.TextInput: forms.TextInput,
        widgets.HiddenInput: forms.HiddenInput,
        widgets.CheckboxInput: forms.CheckboxInput,
        widgets.Textarea: forms.Textarea,
    }
    swapped = 0
    for field in plain.fields.values():
        kind = plain_kind.get(type(field.widget))
        if kind is not None:
            field.widget = kind(attrs=field.widget.attrs)
            swapped += 1
    # the version, the clashes, and each field's inputs but its choice
    assert swapped == 2 + 5 * len(fields)
    direct.is_valid()
    plain.is_valid()
    assert [str(b) for b in direct] == [str(b) for b in plain]
