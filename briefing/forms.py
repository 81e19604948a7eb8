from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

LIMIT = 20000


class SynthesisForm(forms.Form):
    results = forms.CharField(
        label=_("Results"), required=False, max_length=LIMIT, widget=forms.Textarea({"rows": 8})
    )
    shortfalls = forms.CharField(
        label=_("Shortfalls and causes"), required=False, max_length=LIMIT,
        widget=forms.Textarea({"rows": 6}),
    )  # fmt: skip
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, max_length=LIMIT, widget=forms.Textarea({"rows": 6})
    )
