from django.urls import path

from . import views

app_name = "offices"

urlpatterns = [
    path("", views.OfficeListView.as_view(), name="list"),
    path("<slug:slug>/", views.OfficeDetailView.as_view(), name="detail"),
]
