from django.contrib import admin

from .models import Country


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code"]

    def get_queryset(self, request):
        # Pickers (autocomplete) list countries by name in the page's language, not by code.
        return super().get_queryset(request).ordered_by_name()

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.named_like(search_term), False
