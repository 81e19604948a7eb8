"""Accounts created in bulk from a CSV or XLSX file (one line per person).

Columns, in any order and case: `username`, `full_name`, `email`, `unit` (the unit's code) and
`role` (`reporter`, `committee`, `office`, `admin` or the words on screen, "Báo cáo viên"…).
The file is read with the unit import's readers (same encodings, the same refusal of formulas,
of old .xls files and of broken workbooks). It is all or nothing: every line is checked, and if
any is wrong nothing is created and every wrong line is named with its number (the header is
line 1). Accounts are created without a password; each person chooses theirs from the link the
portal emails them, which is the forgotten-password link.

Office staff create reporter and Standing Committee accounts; only administrators may create
office or administrator accounts, so a file cannot hand out more power than its sender has.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from fileread.reader import FileRefused, table_rows
from lib.identifiers import skeleton
from unions.importing import Cell, ImportFileError, RowError
from unions.lookup import units_by_codes
from unions.models import Unit

from .models import Role, User
from .services import LIMITED_ROLES

COLUMNS = ("username", "full_name", "email", "unit", "role")
MAX_ROWS = 2000


@dataclass(frozen=True)
class AccountRow:
    line: int
    username: str
    full_name: str
    email: str
    unit: Unit
    role: str


@dataclass
class BulkResult:
    created: list[User] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


# How people write the roles, besides the codes and the labels on screen.
ROLE_WORDS = {
    "báo cáo viên": Role.REPORTER,
    "ban thường vụ": Role.COMMITTEE,
    "văn phòng": Role.OFFICE,
    "quản trị": Role.ADMIN,
}


def _role_aliases() -> dict[str, str]:
    aliases = {role.value: role.value for role in Role} | {
        _fold(word): role.value for word, role in ROLE_WORDS.items()
    }
    for language in ("vi", "en"):
        with override(language):
            aliases |= {_fold(str(role.label)): role.value for role in Role}
    return aliases


def _text(value: Cell) -> str:
    return "" if value is None else str(value).strip()


def accounts_file_read(data: bytes, name: str) -> list[tuple[int, dict[str, str]]]:
    """(line, {column: text}) for every non-blank line after the header."""
    # The portal's one hardened reader: the same limits and refusals as every other import.
    try:
        read = table_rows(data, name)
    except FileRefused as exc:
        raise ImportFileError(*exc.messages) from exc
    records = [(r.line, r.values, r.formulas) for r in read if any(_text(v) for v in r.values)]
    if not records:
        raise ImportFileError(_("The file is empty."))
    line, header, _formulas = records[0]
    columns = [_fold(_text(v)) for v in header]
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(
            _("Line %(line)d must name the columns %(columns)s; missing: %(missing)s.")
            % {"line": line, "columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    if len(records) - 1 > MAX_ROWS:
        raise ImportFileError(_("At most %(count)d accounts per file.") % {"count": MAX_ROWS})
    rows = []
    for number, values, formulas in records[1:]:
        if formulas:
            rows.append((number, {"__formula__": "1"}))
            continue
        cells = {c: _text(v) for c, v in zip(columns, values, strict=False) if c in COLUMNS}
        rows.append((number, cells))
    return rows


def _row_check(
    line: int,
    cells: dict[str, str],
    units: dict[str, Unit | str],
    roles: dict[str, str],
    actor: User,
) -> tuple[AccountRow | None, list[str]]:
    if "__formula__" in cells:
        return None, [_("a cell holds a formula; type the value instead")]
    problems = _person_problems(cells)
    username, full_name, email = (cells.get(c, "") for c in ("username", "full_name", "email"))
    unit = units.get(cells.get("unit", "").strip())
    if isinstance(unit, str):
        problems.append(
            _("unit “%(code)s” could mean %(units)s; type the code exactly as written")
            % {"code": cells.get("unit"), "units": unit}
        )
    elif unit is None:
        problems.append(
            _("unit “%(code)s” does not exist or is closed today") % {"code": cells.get("unit")}
        )
    role = roles.get(_fold(cells.get("role", "")))
    if role is None:
        problems.append(_("role “%(value)s” is not known") % {"value": cells.get("role")})
    elif role not in LIMITED_ROLES and not actor.can_manage_accounts:
        problems.append(_("only an administrator may create an account with this role"))
    if problems or not isinstance(unit, Unit) or role is None:
        return None, problems
    return AccountRow(line, username, full_name, email, unit, role), []


def _person_problems(cells: dict[str, str]) -> list[str]:
    """What is wrong with the line's username, full name and email."""
    problems: list[str] = []
    username = cells.get("username", "")
    try:
        User.username_validator(username)
        if not username or len(username) > 150:
            raise ValidationError("bad")
    except ValidationError:
        problems.append(_("username “%(value)s” is not valid") % {"value": username})
    full_name = cells.get("full_name", "")
    if not full_name or len(full_name) > 150:
        problems.append(_("the full name is missing or longer than 150 characters"))
    email = cells.get("email", "")
    try:
        validate_email(email)
    except ValidationError:
        problems.append(_("email “%(value)s” is not valid") % {"value": email})
    return problems


def _duplicates(rows: Iterable[AccountRow]) -> list[RowError]:
    """Usernames used twice in the file, or already used, also in another case or with
    look-alike characters (unions.identifiers.skeleton: "аdmin" with a Cyrillic "а" is "admin")."""
    errors: list[RowError] = []
    first: dict[str, int] = {}
    for row in rows:
        key = skeleton(row.username)
        if key in first:
            message = _("username %(name)s is used twice in the file (first on line %(first)d)")
            errors.append(RowError(row.line, message % {"name": row.username, "first": first[key]}))
        first.setdefault(key, row.line)
    taken = {skeleton(name): name for name in User.objects.values_list("username", flat=True)}
    for row in rows:
        other = taken.get(skeleton(row.username))
        if other is not None and other.casefold() == row.username.casefold():
            message = _("an account with username %(name)s already exists")
            errors.append(RowError(row.line, message % {"name": row.username}))
        elif other is not None:
            message = _("username %(name)s is too like %(other)s, another account's")
            errors.append(RowError(row.line, message % {"name": row.username, "other": other}))
    return errors


def _units(raw: list[tuple[int, dict[str, str]]], today: dt.date) -> dict[str, Unit | str]:
    """The units open today that the file's codes name, by typed code (trimmed); a code that could
    name two of them (they differ only in case) maps to their codes, to be refused."""
    lookup = units_by_codes(
        (cells.get("unit", "") for _line, cells in raw), Unit.objects.active_on(today)
    )
    units: dict[str, Unit | str] = dict(lookup.found)
    units.update({c: ", ".join(codes) for c, codes in lookup.ambiguous.items()})
    return units


def accounts_bulk_create(data: bytes, name: str, *, actor: User) -> BulkResult:
    """Checks every line, then creates every account or none. Raises ImportFileError for a
    file that cannot be read at all, PermissionDenied for anyone but office staff."""
    if not actor.is_office:
        raise PermissionDenied
    raw = accounts_file_read(data, name)
    today = timezone.localdate()
    units = _units(raw, today)
    roles = _role_aliases()
    result = BulkResult()
    rows: list[AccountRow] = []
    for line, cells in raw:
        row, problems = _row_check(line, cells, units, roles, actor)
        result.errors += [RowError(line, p) for p in problems]
        if row is not None:
            rows.append(row)
    result.errors += _duplicates(rows)
    if result.errors:
        result.errors.sort(key=lambda e: e.line)
        return result
    with transaction.atomic():
        result.created = [_create(row) for row in rows]
    return result


def _create(row: AccountRow) -> User:
    account = User(username=row.username, email=row.email, role=row.role, unit=row.unit)
    account.first_name = row.full_name  # a Vietnamese name stays whole, as the admin form does
    account.set_unusable_password()
    account.save()
    return account
