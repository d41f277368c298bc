from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Lab


def partner_countries_error(instrument, countries):
    """The message when ``countries`` breaks the instrument's partner-country rule, else None."""
    if instrument is None:
        return None
    return instrument.partner_countries_error(len(countries))


class LabAdminForm(forms.ModelForm):
    """The lab form of the admin; enforces the instrument's partner-country rule."""

    class Meta:
        model = Lab
        fields = "__all__"  # noqa: DJ007 (the admin narrows the fields with its fieldsets)

    def clean(self):
        cleaned = super().clean()
        instrument = cleaned.get("instrument")
        countries = cleaned.get("countries")
        if countries is not None:
            error = partner_countries_error(instrument, list(countries))
            if error:
                self.add_error("countries", error)
        elif instrument is not None and "countries" not in self.errors:
            self.add_error("countries", _("Choose the foreign partner countries."))
        return cleaned
