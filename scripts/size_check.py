"""Sizes the code may not pass: a function over 40 lines or with more than 6 parameters, a
module over 400 lines. Prints each offender, exit status 1 if there is any.

python scripts/size_check.py [FOLDER...]   (default: the apps; migrations and tests are skipped)
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "api",
    "audit",
    "bench",
    "briefing",
    "config",
    "dashboards",
    "demo",
    "fileread",
    "lib",
    "notifications",
    "printing",
    "reports",
    "rollup",
    "scripts",
    "targets",
    "unions",
]
MAX_FUNCTION_LINES = 40
MAX_PARAMETERS = 6
MAX_MODULE_LINES = 400
# Data, not code: the programme's text as tuples.
DATA_MODULES = {"targets/programme_03.py"}


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    args = node.args
    names = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return len([n for n in names if n not in ("self", "cls")])


def _offences(path: Path) -> Iterator[str]:
    text = path.read_text(encoding="utf-8")
    where = path.relative_to(ROOT).as_posix()
    lines = text.count("\n") + 1
    if lines > MAX_MODULE_LINES and where not in DATA_MODULES:
        yield f"{where}: module of {lines} lines (> {MAX_MODULE_LINES})"
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > MAX_FUNCTION_LINES:
            yield f"{where}:{node.lineno}: {node.name} has {length} lines (> {MAX_FUNCTION_LINES})"
        count = _parameters(node)
        if count > MAX_PARAMETERS:
            yield f"{where}:{node.lineno}: {node.name} has {count} parameters (> {MAX_PARAMETERS})"


def main(folders: list[str]) -> int:
    found = [
        offence
        for folder in folders or APPS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
        for offence in _offences(path)
    ]
    print("\n".join(found) or "No function over 40 lines or 6 parameters, no module over 400.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
