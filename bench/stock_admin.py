"""Django's admin with no option at all on Lab, to compare the staff admin's list with.

Mounted under /bench-stock-admin/ only when PORTAL_BENCH_STOCK_ADMIN is set (see
cnrs_intl/urls.py); `make bench` sets it for its own server, production never does. The
model is found by its app label, wherever its module lives.
"""

from django.apps import apps
from django.contrib import admin

site = admin.AdminSite(name="bench_stock_admin")
site.register(apps.get_model("laboratories", "Lab"))
