"""The union hierarchy over time.

A unit's parent is a dated relation (UnitLink), not a column, because the 2025 reorganisation
moved CĐCS between parents in the middle of the term. UnitClosure is derived from the links by
the reorganisation services (their only writer) and answers "the subtree of X on date D" in one
indexed query on any database. All intervals are half-open: [valid_from, valid_to), with
valid_to = None meaning "still valid"; a unit dissolved on 1 July 2025 has valid_to 2025-07-01.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .identifiers import look_alike, url_key, validate_unit_code


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Provincial federation")
    DISTRICT = "district", _("District/city federation")
    SECTOR = "sector", _("Sector union")
    CIVIL_SERVANTS = "civil_servants", _("Provincial civil servants' union")
    COMMUNE = "commune", _("Commune/ward union")
    GRASSROOTS = "grassroots", _("Grassroots union (CĐCS)")
    OCCUPATIONAL = "occupational", _("Grassroots occupational union")


UPPER_KINDS = frozenset(
    {UnitKind.DISTRICT, UnitKind.SECTOR, UnitKind.CIVIL_SERVANTS, UnitKind.COMMUNE}
)
GRASSROOTS_KINDS = frozenset({UnitKind.GRASSROOTS, UnitKind.OCCUPATIONAL})


class Sector(models.TextChoices):
    """Where a grassroots union's employer sits; the programme splits state from non-state."""

    ADMINISTRATIVE = "hcsn", _("Administrative or public-service unit")
    STATE_ENTERPRISE = "dnnn", _("State-owned enterprise")
    PRIVATE = "private", _("Private enterprise")
    FOREIGN = "fdi", _("Foreign-invested enterprise")
    COOPERATIVE = "coop", _("Cooperative")
    NON_PUBLIC = "nonpublic", _("Non-public unit")


STATE_SECTORS = frozenset({Sector.ADMINISTRATIVE, Sector.STATE_ENTERPRISE})
ENTERPRISE_SECTORS = frozenset({Sector.STATE_ENTERPRISE, Sector.PRIVATE, Sector.FOREIGN})


def active_on_q(on: dt.date, prefix: str = "") -> Q:
    """Rows whose half-open interval [valid_from, valid_to) contains `on`."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


def overlapping_q(start: dt.date, end: dt.date | None, prefix: str = "") -> Q:
    """Rows whose interval overlaps [start, end)."""
    q = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": start})
    if end is not None:
        q &= Q(**{f"{prefix}valid_from__lt": end})
    return q


class UnitQuerySet(models.QuerySet["Unit"]):
    def active_on(self, on: dt.date) -> UnitQuerySet:
        return self.filter(active_on_q(on))

    def grassroots(self) -> UnitQuerySet:
        return self.filter(kind__in=GRASSROOTS_KINDS)

    def search(self, text: str) -> UnitQuerySet:
        """Units whose code or name contains `text`, ignoring case and accents."""
        key = folded(text)
        return self.filter(search_key__contains=key) if key else self


def folded(text: str) -> str:
    """Lower case without accents, so that people who type "tam duong" (many do, on phones
    without a Vietnamese keyboard) find "Tam Đường": "Đ" → "d", "ườ" → "uo"."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    bare = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


# Vietnamese alphabetical order: ă and â after a, đ after d, ê after e, ô and ơ after o, ư
# after u; tones only decide between otherwise equal words, in the dictionary's order
# (none, huyền, hỏi, ngã, sắc, nặng). f, j, w, z appear in foreign names.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: 100 + i for i, letter in enumerate(_ALPHABET)}
_QUALITY = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_QUALITY_LETTER = {
    ("a", "breve"): "ă", ("a", "circumflex"): "â", ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô", ("o", "horn"): "ơ", ("u", "horn"): "ư",
}  # fmt: skip
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter(char: str) -> tuple[int, int] | None:
    """(alphabet rank, tone) of one lower-case character, or None if it is not a letter."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    quality = next((_QUALITY[m] for m in marks if m in _QUALITY), None)
    letter: str = _QUALITY_LETTER.get((base, quality), base) if quality else base
    if letter not in _LETTER_RANK:
        return None
    return _LETTER_RANK[letter], next((_TONE[m] for m in marks if m in _TONE), 0)


@functools.cache
def _sort_tables() -> tuple[dict[int, str], dict[int, str]]:
    """str.translate tables from a (case-folded) character to its place in the alphabet, and
    to its tone; a sort key for a whole list of names then costs two C-level passes a name."""
    primary: dict[int, str] = {}
    tones: dict[int, str] = {}
    for code in [*range(0x20, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        found = _letter(char)
        if found is not None:
            primary[code] = chr(found[0])
            tones[code] = chr(48 + found[1])
        elif char.isspace():
            primary[code], tones[code] = "\x01", ""
        else:
            primary[code], tones[code] = chr(200 + code), ""
    for digit in "0123456789":
        primary[ord(digit)], tones[ord(digit)] = chr(30 + int(digit)), ""
    return primary, tones


_DIGITS = re.compile(r"[0-9]+")


# Names come back on every page (4,240 reporting units below a national root): remember the
# keys of the last few thousand; a name's key never changes.
@functools.lru_cache(maxsize=16384)
def vi_sort_key(text: str) -> tuple[str, str, str]:
    """A key that sorts names as a Vietnamese reader expects ("Bản Bo, Bình Lư, Bum Nưa";
    "Đoàn Kết" after "Dương"; "số 2" before "số 10"), where code-point order puts every
    accented letter after z."""
    primary, tones = _sort_tables()
    folded = unicodedata.normalize("NFC", text).casefold()
    # A run of digits sorts by its value: its length first, then its digits.
    ranked = _DIGITS.sub(lambda m: chr(10 + min(len(m[0]), 19)) + m[0], folded)
    return ranked.translate(primary), folded.translate(tones), text


def search_key(code: str, name: str) -> str:
    return folded(f"{code} {name}")


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True, validators=[validate_unit_code])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    sector = models.CharField(
        _("sector"), max_length=12, choices=Sector.choices, blank=True, default=""
    )
    # xgettext:no-python-format
    budget_paid = models.BooleanField(_("paid 100% from the state budget"), default=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    note = models.TextField(_("note"), blank=True)
    # Code and name folded for search (`folded`); written by save(), and by whoever
    # bulk-creates units (the generator), since bulk_create does not call save().
    search_key = models.CharField(_("search key"), max_length=240, editable=False, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        # "Did the tree change between two days?" (`rollup.today_kept`), from the index.
        indexes = [
            models.Index(fields=["valid_from"], name="unions_unit_from"),
            models.Index(fields=["valid_to"], name="unions_unit_to"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unions_unit_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values), name="unions_unit_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    sector="", kind__in=[k for k in UnitKind.values if k not in GRASSROOTS_KINDS]
                )
                | Q(
                    sector__in=Sector.values,
                    kind__in=[k for k in UnitKind.values if k in GRASSROOTS_KINDS],
                ),
                name="unions_unit_sector_only_for_grassroots",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = search_key(self.code, self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and {"code", "name"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """For the admin, where a code can be corrected: no look-alike of another unit's."""
        other = look_alike(
            self.code, Unit.objects.exclude(pk=self.pk).values_list("code", flat=True)
        )
        if other is not None:
            raise ValidationError(
                {
                    "code": _("The code %(code)s is too like %(other)s, the code of another unit.")
                    % {"code": self.code, "other": other}
                }
            )

    @property
    def url_key(self) -> str:
        """The unit in URL paths: its code, or "~id" for a code saved before the code rule
        that would break a URL ("/", "?", "#", spaces, invisible characters...)."""
        return url_key(self.code, self.pk)

    def is_active_on(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS

    @property
    def last_day(self) -> dt.date | None:
        """The last day the unit existed, as people say it ("until 30/06/2025")."""
        return None if self.valid_to is None else self.valid_to - dt.timedelta(days=1)


class UnitLink(models.Model):
    """`child` sat under `parent` during [valid_from, valid_to)."""

    child = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="parent_links"
    )
    parent = models.ForeignKey(
        Unit, verbose_name=_("parent unit"), on_delete=models.PROTECT, related_name="child_links"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)

    class Meta:
        verbose_name = _("parent link")
        verbose_name_plural = _("parent links")
        ordering = ["child", "valid_from"]
        indexes = [
            models.Index(fields=["parent", "valid_from"], name="unions_link_parent_from"),
            # "Did the tree change between two days?" (`rollup.today_kept`), from the index.
            models.Index(fields=["valid_from"], name="unions_link_from"),
            models.Index(fields=["valid_to"], name="unions_link_to"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unions_unitlink_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(child=models.F("parent")), name="unions_unitlink_not_own_parent"
            ),
            models.UniqueConstraint(
                fields=["child", "valid_from"], name="unions_unitlink_one_parent_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.parent_id} [{self.valid_from}, {self.valid_to})"


class UnitClosure(models.Model):
    """`ancestor` was `depth` levels above `descendant` during [valid_from, valid_to).

    Every unit is its own ancestor at depth 0 for its lifetime. Derived data: written only by
    `unions.closure.closure_rebuild`.
    """

    ancestor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["ancestor", "valid_from"], name="unions_closure_anc_from"),
            models.Index(fields=["descendant", "valid_from"], name="unions_closure_desc_from"),
            # "Is this unit below that one on this date?" answered from the index alone: the
            # expected-report counts ask it for every assignment of the programme.
            models.Index(
                fields=["ancestor", "descendant", "valid_from", "valid_to"],
                name="unions_closure_pair_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id} ({self.depth})"


DEMO_CACHE_KEY = "unions:demo-data-loaded"


def demo_data_loaded() -> bool:
    """Whether synthetic demo units exist (shown as a banner on every page); cached briefly."""
    loaded = cache.get(DEMO_CACHE_KEY)
    if loaded is None:
        loaded = Unit.objects.filter(is_demo=True).exists()
        cache.set(DEMO_CACHE_KEY, loaded, 300)
    return bool(loaded)


def localized(obj: object, attr: str) -> str:
    """`attr_vi` or `attr_en` of a record, following the active language (Vietnamese default)."""
    lang = (get_language() or "vi")[:2]
    value = getattr(obj, f"{attr}_{lang}", "") or getattr(obj, f"{attr}_vi", "")
    return str(value)
