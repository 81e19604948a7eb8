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
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def attributes(attrs: dict[str, Any]) -> SafeString:
    """`attrs.html`: ` name="value"` for each attribute, the name alone when True, nothing
    when False. Escaped as `format_html` escapes (`conditional_escape`), without its cost for
    each of the form's some 500 attributes."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return mark_safe("".join(parts))  # noqa: S308 - each part escaped by conditional_escape


class _DirectInput:
    """`input.html`, for the input widgets below."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        widget = context["widget"]
        value = widget["value"]
        shown = f' value="{conditional_escape(str(value))}"' if value is not None else ""
        return mark_safe(  # noqa: S308 - each part escaped by conditional_escape
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
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
        return mark_safe(  # noqa: S308 - each part escaped by conditional_escape
            f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>'
            f"\n{conditional_escape(widget['value'] or '')}</textarea>"
        )
