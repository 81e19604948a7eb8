"""Writes of programme reference data: programme 03 is loaded from its definition file.

`targets/programmes/03-CTr-LDLD-2023.xlsx` is the source of programme 03/CTr-LĐLĐ (fields,
21 indicators, targets, task groups), in the format office staff export and import
(`targets.definition`); it is edited like any programme file and loaded again.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from fileread.reader import path_bytes

from .definition import PROGRAMME, definition_read
from .importing import definition_save
from .models import Programme, ProgrammeStatus

PROGRAMMES_DIR = Path(__file__).resolve().parent / "programmes"
PROGRAMME_03_FILE = PROGRAMMES_DIR / "03-CTr-LDLD-2023.xlsx"


def programme_code_in(data: bytes) -> str | None:
    rows = definition_read(data).sheets.get(PROGRAMME) or []
    return str(rows[0][1].get("code") or "") or None if rows else None


@transaction.atomic
def programme_load(path: Path, *, publish: bool = False, dry_run: bool = False) -> Programme:
    """Loads a definition file as a new draft (FileRefused with every problem otherwise). A
    programme whose code exists already is left as it is and returned (loading is
    idempotent). With `publish` it is published from its first reporting day at once: for a
    shipped programme whose reports exist already (programme 03), not for a new one, which is
    checked and published on its screens (`targets.publishing`)."""
    data = path_bytes(path)
    existing = Programme.objects.filter(code=programme_code_in(data) or "").first()
    if existing is not None:
        return existing
    programme = definition_save(data, dry_run=dry_run)
    if publish and not dry_run:
        programme.status = ProgrammeStatus.PUBLISHED
        programme.published_from = max(programme.term_start, programme.issued_on)
        programme.save(update_fields=["status", "published_from"])
    return programme


def programme_03_load() -> Programme:
    """Loads programme 03/CTr-LĐLĐ from its file, published; running it again adds nothing."""
    return programme_load(PROGRAMME_03_FILE, publish=True)
