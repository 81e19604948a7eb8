"""Form widgets that write their HTML directly instead of through Django's widget templates.

The report form has about 150 inputs (a value, "not applicable", a confirmation, a reason and
the merge's starting value for each of some 35 fields, and the narratives); rendered through
the template engine each costs most of a millisecond, a third of the form page's time. These
widgets keep Django's context (`get_context`: the attributes, the checked state, the value as
Django formats it) and write exactly what Django's templates `input.html`, `attrs.html` and
`textarea.html` write with it (`tests/test_widgets.py` compares the two).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def attributes(attrs: dict[str, Any]) -> SafeString:
    """`attrs.html`: ` name="value"` for each attribute, the name alone when True, nothing
    when False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return mark_safe("".join(parts))  # noqa: S308 - each part escaped by format_html


class _DirectInput:
    """`input.html`, for the input widgets below."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        widget = context["widget"]
        value = widget["value"]
        shown = format_html(' value="{}"', str(value)) if value is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            shown,
            attributes(widget["attrs"]),
        )


class TextInput(_DirectInput, forms.TextInput):
    pass


class HiddenInput(_DirectInput, forms.HiddenInput):
    pass


class CheckboxInput(_DirectInput, forms.CheckboxInput):
    pass


class Textarea(forms.Textarea):
    """`textarea.html`: the value on the line after the opening tag."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        widget = context["widget"]
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            widget["name"],
            attributes(widget["attrs"]),
            widget["value"] or "",
        )
