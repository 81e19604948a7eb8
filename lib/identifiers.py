"""Identifiers that are safe everywhere: in URLs, in files, and to the eye.

A unit code takes ASCII letters, digits, "-", "_" and "." only, so it can stand in a URL path
segment, a file name and a spreadsheet without escaping. Codes, and usernames too, must also
differ in more than case and look-alike characters: `skeleton` folds a text to what a reader
would see (NFKC, case, invisible characters, the Cyrillic and Greek letters that look Latin,
and the digits and letter pairs that pass for letters, after Unicode TR39's confusables), and
two identifiers with the same skeleton are one too many.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CODE_MAX_LENGTH = 32
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")

# Lower-case letters (after casefold) that a reader takes for a Latin letter: Cyrillic, Greek
# and a few Latin variants, from TR39's confusables.txt, kept to the ones that really pass.
_LOOK_ALIKES = {
    **dict.fromkeys("аɑα", "a"),
    **dict.fromkeys("вβь", "b"),
    **dict.fromkeys("сϲ", "c"),
    **dict.fromkeys("ԁ", "d"),
    **dict.fromkeys("еєε", "e"),
    **dict.fromkeys("ɡ", "g"),
    **dict.fromkeys("һн", "h"),
    **dict.fromkeys("іıιӏℓ|", "l"),
    **dict.fromkeys("ј", "j"),
    **dict.fromkeys("кκ", "k"),
    **dict.fromkeys("м", "m"),
    **dict.fromkeys("ηп", "n"),
    **dict.fromkeys("оοσ0", "o"),
    **dict.fromkeys("рρ", "p"),
    **dict.fromkeys("ԛ", "q"),
    **dict.fromkeys("ѕ5", "s"),
    **dict.fromkeys("тτ", "t"),
    **dict.fromkeys("υս", "u"),
    **dict.fromkeys("νѵ", "v"),
    **dict.fromkeys("ԝω", "w"),
    **dict.fromkeys("хχ", "x"),
    **dict.fromkeys("уγ", "y"),
    **dict.fromkeys("1i", "l"),  # "I" (after casefold "i"), "l" and "1" are one stroke
    "_": "-",
    ".": "-",
}
_PAIRS = (("rn", "m"), ("vv", "w"))


def skeleton(text: str) -> str:
    """What a reader sees: two identifiers with the same skeleton cannot both exist."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in text if unicodedata.category(c) not in {"Cf", "Zs", "Cc"})
    text = unicodedata.normalize("NFD", text)
    text = "".join(_LOOK_ALIKES.get(c, c) for c in text)
    for pair, single in _PAIRS:
        text = text.replace(pair, single)
    return unicodedata.normalize("NFC", text)


def code_cleaned(code: str) -> str:
    """A typed code as it will be stored: NFKC (full-width letters become ASCII), trimmed."""
    return unicodedata.normalize("NFKC", code).strip()


def code_problem(code: str) -> str:
    """Why `code` cannot be a unit code, or "" if it can."""
    if not code:
        return _("A unit needs a code.")
    if len(code) > CODE_MAX_LENGTH:
        return _("A unit code has at most %(limit)d characters.") % {"limit": CODE_MAX_LENGTH}
    if not _CODE.match(code):
        return _(
            "A unit code “%(code)s” may hold only letters A–Z, digits and “-”, “_” or “.”, "
            "and starts with a letter or digit."
        ) % {"code": code}
    return ""


def code_is_safe(code: str) -> bool:
    """Whether `code` follows the rule, so it can stand as it is in a URL path segment."""
    return len(code) <= CODE_MAX_LENGTH and bool(_CODE.match(code))


# A unit whose code was saved before the rule ("a/b", "x y", a zero-width space...) is named in
# URLs by its id instead: "~" and digits, which no code that follows the rule starts with.
ID_KEY_PREFIX = "~"
_ID_KEY = re.compile(r"~([0-9]{1,18})\Z")


def url_key(code: str, pk: int) -> str:
    """How a unit is named in a URL path: its code if safe there, else "~" and its id."""
    return code if code_is_safe(code) else f"{ID_KEY_PREFIX}{pk}"


def id_in_key(key: str) -> int | None:
    """The id that a URL key "~123" names, or None for a key that is a code."""
    found = _ID_KEY.match(key)
    return int(found.group(1)) if found else None


def validate_unit_code(code: str) -> None:
    problem = code_problem(code)
    if problem:
        raise ValidationError(problem, code="unit_code")


def look_alike(text: str, existing: Iterable[str]) -> str | None:
    """The first of `existing` that a reader could mistake for `text` (itself excluded)."""
    wanted = skeleton(text)
    return next((other for other in existing if other != text and skeleton(other) == wanted), None)


BIGGEST_ID = 2**63 - 1  # a database id; a larger number overflows the driver


def plain_number(text: object, biggest: int = BIGGEST_ID) -> int | None:
    """`text` as a whole number written in ASCII digits only, at most `biggest`; else None.

    `str.isdigit()` is true for "²", "①" and other digits `int()` refuses or reads in
    another script, so a form or a query string is read through this instead.
    """
    raw = str(text).strip()
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value <= biggest else None
