"""Checks of uploaded files: their real type (read from their first bytes) and their size.

A PDF is also read through (pypdf): one that does not parse, that starts with what a browser
would take for a web page (a PDF/HTML polyglot), or that carries active content (JavaScript,
actions run on opening or on events, launched programs, forms sent elsewhere, embedded
files) is refused.
"""

import logging
import re
from pathlib import PurePath

import pypdf
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def _is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


def _is_png(head: bytes) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


logger = logging.getLogger(__name__)

# Browsers sniff the first bytes of a file for markup: none of it may stand there in a PDF.
SNIFFED_BYTES = 4096
_HTML_MARKERS = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|img|a\s|meta|style|title)",
    re.IGNORECASE,
)
# Names whose presence anywhere in a PDF's objects means content that runs or is carried.
ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/AA": _("automatic actions"),
    "/EmbeddedFiles": _("embedded files"),
    "/EF": _("embedded files"),
    "/RichMedia": _("multimedia content"),
    "/XFA": _("XFA forms"),
}
ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": _("a launched program"),
    "/SubmitForm": _("a form sent elsewhere"),
    "/ImportData": _("imported data"),
    "/RichMediaExecute": _("multimedia content"),
}


class UnreadablePdf(Exception):
    pass


def pdf_active_content(file) -> list[str]:
    """What in the PDF ``file`` could run or carry another file (empty: nothing).

    Every object reachable from the document's trailer is visited once. Raises
    :class:`UnreadablePdf` when the file does not parse, or is encrypted with a password.
    """
    try:
        reader = pypdf.PdfReader(file, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("encrypted")
        found, seen = set(), set()
        stack = [reader.trailer]
        while stack:
            node = stack.pop()
            if isinstance(node, IndirectObject):
                if node.idnum in seen:
                    continue
                seen.add(node.idnum)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                for key, value in node.items():
                    if key in ACTIVE_KEYS:
                        found.add(str(ACTIVE_KEYS[key]))
                    if key == "/S" and value in ACTIVE_ACTIONS:
                        found.add(str(ACTIVE_ACTIONS[value]))
                    stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(node)
    except UnreadablePdf:
        raise
    except Exception as error:  # pypdf raises many kinds on a broken file
        logger.info("Unreadable PDF upload: %r", error)
        raise UnreadablePdf(str(error)) from error
    return sorted(found)


def _check_pdf(file):
    """The content check of a file that starts as a PDF: see the module's docstring."""
    file.seek(0)
    if _HTML_MARKERS.search(file.read(SNIFFED_BYTES)):
        raise _not_of_kinds(["pdf"])
    file.seek(0)
    try:
        active = pdf_active_content(file)
    except UnreadablePdf:
        raise _not_of_kinds(["pdf"]) from None
    if active:
        raise ValidationError(
            _(
                "This PDF holds active content (%(what)s), which the portal does not publish. "
                "Save it again without it (printing it to a PDF file removes it)."
            ),
            code="active_content",
            params={"what": ", ".join(active)},
        )


# kind: (extensions accepted, test of the first bytes, name shown to the user)
FILE_KINDS = {
    "pdf": ({".pdf"}, _is_pdf, "PDF"),
    "png": ({".png"}, _is_png, "PNG"),
    "jpeg": ({".jpg", ".jpeg"}, _is_jpeg, "JPEG"),
    "webp": ({".webp"}, _is_webp, "WebP"),
}
IMAGE_KINDS = ("png", "jpeg", "webp")
# kind: check of the whole content, once the first bytes match (raises ValidationError)
CONTENT_CHECKS = {"pdf": _check_pdf}


def _not_of_kinds(kinds) -> ValidationError:
    return ValidationError(
        _("This file is not a valid %(kinds)s file."),
        code="invalid_file_type",
        params={"kinds": " / ".join(FILE_KINDS[kind][2] for kind in kinds)},
    )


def _is_new_upload(value) -> bool:
    # A file already stored was checked when it was uploaded; only a new one is read.
    return value is not None and not getattr(value, "_committed", True)


@deconstructible
class FileTypeValidator:
    """Accepts a file only if both its extension and its content are of an allowed kind.

    The name and the type a browser sends are chosen by the sender; the first bytes of the
    content say what the file really is (an HTML page renamed ``.pdf`` is refused).
    """

    def __init__(self, kinds):
        unknown = set(kinds) - set(FILE_KINDS)
        if unknown:
            raise ValueError(f"Unknown file kinds: {sorted(unknown)}")
        self.kinds = tuple(kinds)

    def __call__(self, value):
        if not _is_new_upload(value):
            return
        extension = PurePath(value.name).suffix.lower()
        position = value.tell() if hasattr(value, "tell") else 0
        value.seek(0)
        head = value.read(16)
        try:
            for kind in self.kinds:
                extensions, matches, _label = FILE_KINDS[kind]
                if extension in extensions and matches(head):
                    if kind in CONTENT_CHECKS:
                        CONTENT_CHECKS[kind](value)
                    return
        finally:
            value.seek(position)
        raise _not_of_kinds(self.kinds)

    def __eq__(self, other):
        return isinstance(other, FileTypeValidator) and self.kinds == other.kinds


@deconstructible
class MaxFileSizeValidator:
    """Refuses a file larger than ``max_bytes``."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes

    def __call__(self, value):
        if _is_new_upload(value) and value.size > self.max_bytes:
            raise ValidationError(
                _("This file is %(size)s; the largest accepted is %(limit)s."),
                code="file_too_large",
                params={
                    "size": filesizeformat(value.size),
                    "limit": filesizeformat(self.max_bytes),
                },
            )

    def __eq__(self, other):
        return isinstance(other, MaxFileSizeValidator) and self.max_bytes == other.max_bytes
