from django import template
from django.utils.safestring import mark_safe

from core.sanitize import plain_text as words_of
from core.sanitize import render_rich_text

register = template.Library()


@register.filter(is_safe=True)
def rich_text(value):
    """A rich-text field as safe HTML: ``{{ lab.description|rich_text }}``."""
    return mark_safe(render_rich_text(str(value or "")))  # cleaned by nh3


@register.filter
def plain_text(value):
    """A rich-text field as text, without markup (meta descriptions, list excerpts)."""
    return words_of(str(value or ""))
