"""Permissions of the back-office that are not about one model (``rules``)."""

import rules

from .roles import has_full_access

# Import and export of whole lists stay with Derci staff, whatever a referent may edit.
rules.add_perm("backoffice.import_export", has_full_access)
# Approving, rejecting and reverting act on the published rows.
rules.add_perm("backoffice.review_revision", has_full_access)
rules.add_perm("backoffice.revert_history", has_full_access)
