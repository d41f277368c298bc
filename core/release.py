"""The release the process runs: part of every key of data rendered from code (the public
page cache), so that pages kept by one release are never served by the next.

``PORTAL_RELEASE`` (from the environment, e.g. a tag or a commit) names it; without it the
release is a digest of what renders pages: the Python modules, templates, static files and
compiled translations of the checkout. Every app server of one deploy computes the same
digest from the same files, once per process.
"""

import functools
import hashlib

from django.conf import settings

# What a page's rendering depends on, in the project's own folders (not the virtual
# environment, the tools, the tests or generated files).
SUFFIXES = {".py", ".html", ".css", ".mo"}
SKIPPED = {"tests", "node_modules", "staticfiles", "media", "backups", "bench"}


@functools.cache
def release() -> str:
    """The name of the running release (a short digest when none is set)."""
    if settings.PORTAL_RELEASE:
        return settings.PORTAL_RELEASE
    digest = hashlib.sha256()
    folders = [
        folder
        for folder in sorted(settings.BASE_DIR.iterdir())
        if folder.is_dir() and not folder.name.startswith(".") and folder.name not in SKIPPED
    ]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
