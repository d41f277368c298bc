from django.urls import path

from . import views

app_name = "instruments"

urlpatterns = [
    path("", views.InstrumentListView.as_view(), name="list"),
    path("<str:code>/", views.InstrumentDetailView.as_view(), name="detail"),
]
