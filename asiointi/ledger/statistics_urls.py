"""The statistics pages: the staff's under /staff/statistics/, the public one translated by language
(``/fi/tilastot/``, ``/sv/statistik/``, ``/en/statistics/``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import statistics_views

app_name = "statistics"
urlpatterns = [
    path("staff/statistics/", statistics_views.statistics_index, name="index"),
    path("staff/statistics/<slug:figure>.csv", statistics_views.statistics_csv, name="csv"),
    path(_("statistics/"), statistics_views.statistics_public, name="public"),
    path(_("statistics/<slug:figure>.csv"), statistics_views.statistics_public_csv, name="public_csv"),
]
