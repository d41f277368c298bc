"""Compile the portal's .po files to .mo and refuse untranslated or fuzzy entries.

Pure Python (Babel), so that a fresh machine without GNU gettext can build the messages:
``python -m cnrs_intl.messages`` compiles; ``--check`` only checks.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

BASE_DIR = Path(__file__).resolve().parent.parent


def catalogues():
    return sorted(BASE_DIR.glob("locale/*/LC_MESSAGES/*.po"))


def problems(po_path: Path) -> list[str]:
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"{po_path.relative_to(BASE_DIR)}: fuzzy: {message.id!r}")
        elif not all(strings):
            found.append(f"{po_path.relative_to(BASE_DIR)}: untranslated: {message.id!r}")
    return found


def compile_all(check_only: bool = False) -> int:
    errors = []
    for po_path in catalogues():
        errors += problems(po_path)
        if check_only:
            continue
        with po_path.open("rb") as handle:
            catalogue = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalogue)
    for error in errors:
        print(error, file=sys.stderr)
    print(f"{len(catalogues())} catalogue(s), {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(compile_all(check_only="--check" in sys.argv[1:]))
