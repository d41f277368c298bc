"""French number formats: Django's, with a narrow no-break space between digit groups
("75 000 €"), as French typography wants and as core.typography writes stored text."""

from django.conf.locale.fr.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "\u202f"
