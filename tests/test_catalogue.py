"""Every text the code asks to translate reaches the Vietnamese catalogue: makemessages
(xgettext) does not look inside f-strings, so a gettext call written in one is never extracted,
and the page shows it in English (the tracking grid's "first sent on time" did)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts", "api", "audit", "briefing", "config", "dashboards", "demo", "fileread", "lib",
    "notifications", "printing", "reports", "rollup", "targets", "unions",
]  # fmt: skip
TRANSLATING = {"_", "gettext", "ngettext", "pgettext", "npgettext", "gettext_lazy"}


def _called(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return None


def translations_in_fstrings(source: str) -> list[int]:
    """The lines where a translating call sits inside an f-string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            found += [
                inner.lineno
                for part in node.values
                for inner in ast.walk(part)
                if _called(inner) in TRANSLATING
            ]
    return found


def test_the_finder_sees_a_translation_inside_an_fstring():
    assert translations_in_fstrings("x = f\"<b>{gettext('on time')}</b>\"\n") == [1]
    assert translations_in_fstrings("t = gettext('on time')\nx = f'<b>{t}</b>'\n") == []


def test_no_translated_text_is_written_inside_an_fstring():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line in translations_in_fstrings(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
