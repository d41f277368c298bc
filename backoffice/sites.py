"""The back-office's admin site: Django's, with its "view on site" shortcut kept in scope.

Django's shortcut (``/admin/r/<content type>/<id>/``) redirects any signed-in staff member
to the public address of any object, whoever may see it in the back-office: it would tell a
referent the slug of another institute's lab, published or not. Here it answers only for an
entry the user may view in the back-office, found through that model's admin queryset (the
same scope as its list and forms); anything else is a 404, as a missing entry is.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("CNRS International back-office")
    site_title = _("CNRS International back-office")
    index_title = _("Home")

    def get_urls(self):
        scoped = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [
            scoped if getattr(url, "name", None) == "view_on_site" else url
            for url in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self._registry.get(model)
        entry = model_admin.get_object(request, object_id) if model_admin else None
        if entry is None or not model_admin.has_view_or_change_permission(request, entry):
            raise Http404
        return shortcut(request, content_type_id, object_id)
