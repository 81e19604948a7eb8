"""Compiles locale/*/LC_MESSAGES/*.po into .mo files.

Without GNU gettext: a fresh machine has only Python. Each .mo is written beside its place and
moved there in one step, and only when it changed: a test run that starts while another
compiles (CI runs PostgreSQL and SQLite side by side) never reads half a file.
"""

import os
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        compiled = polib.pofile(str(po_path)).to_binary()
        if mo_path.exists() and mo_path.read_bytes() == compiled:
            print(f"up to date {po_path.relative_to(ROOT)}")
            continue
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(compiled)
        os.chmod(temporary, 0o644)  # as a file written plainly would be
        os.replace(temporary, mo_path)
        print(f"compiled {po_path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
