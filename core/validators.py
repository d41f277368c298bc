"""Checks of uploaded files: their real type (read from their first bytes) and their size."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


def _is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


def _is_png(head: bytes) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


# kind: (extensions accepted, test of the first bytes, name shown to the user)
FILE_KINDS = {
    "pdf": ({".pdf"}, _is_pdf, "PDF"),
    "png": ({".png"}, _is_png, "PNG"),
    "jpeg": ({".jpg", ".jpeg"}, _is_jpeg, "JPEG"),
    "webp": ({".webp"}, _is_webp, "WebP"),
}
IMAGE_KINDS = ("png", "jpeg", "webp")


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
        value.seek(position)
        for kind in self.kinds:
            extensions, matches, _label = FILE_KINDS[kind]
            if extension in extensions and matches(head):
                return
        raise ValidationError(
            _("This file is not a valid %(kinds)s file."),
            code="invalid_file_type",
            params={"kinds": " / ".join(FILE_KINDS[kind][2] for kind in self.kinds)},
        )

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
