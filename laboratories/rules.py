"""Object-level permissions on labs and centres (``rules``; see ``accounts.roles``).

Derci staff may do everything; a referent may view and change the labs led by one of their
institutes and the centres linked to one of them. Predicates accept ``obj=None``: that is
the list-level check, which the admin narrows with its queryset.
"""

import rules

from accounts.roles import has_full_access, is_institute_referent, referent_institute_ids


@rules.predicate
def leads_lab(user, lab):
    if lab is None:
        return True
    return lab.lead_institute_id in referent_institute_ids(user)


@rules.predicate
def follows_center(user, center):
    if center is None:
        return True
    institute_ids = referent_institute_ids(user)
    return bool(institute_ids) and center.institutes.filter(pk__in=institute_ids).exists()


may_edit_lab = has_full_access | (is_institute_referent & leads_lab)
may_edit_center = has_full_access | (is_institute_referent & follows_center)

rules.add_perm("laboratories.view_lab", may_edit_lab)
rules.add_perm("laboratories.change_lab", may_edit_lab)
rules.add_perm("laboratories.add_lab", has_full_access)
rules.add_perm("laboratories.delete_lab", has_full_access)

rules.add_perm("laboratories.view_researchcenter", may_edit_center)
rules.add_perm("laboratories.change_researchcenter", may_edit_center)
rules.add_perm("laboratories.add_researchcenter", has_full_access)
rules.add_perm("laboratories.delete_researchcenter", has_full_access)
