from django.contrib.contenttypes.admin import GenericTabularInline

from .models import Source


class SourceInline(GenericTabularInline):
    """The sources of an entry, edited on the entry's own page."""

    model = Source
    extra = 0
    fields = [
        "url",
        "document",
        "publisher",
        "published_on",
        "published_precision",
        "read_on",
        "snippet",
    ]
