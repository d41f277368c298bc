"""Words of Django's admin and of the admin packages that the portal translates itself, where
their French reads wrong with the portal's names ("Modification de outil", "Historique de
vue", "structures internationales sélectionnés") or is missing ("Select all"). Marked here so
that ``makemessages`` keeps them in ``locale/``, which comes before the packages' catalogues.
"""

from django.utils.translation import gettext_noop

ADMIN_WORDING = [
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Select all"),
]
