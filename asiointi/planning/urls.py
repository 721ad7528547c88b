from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.scenario_index, name="index"),
    path("<int:scenario_id>/", views.scenario_detail, name="scenario"),
    path("<int:scenario_id>/status/", views.scenario_status, name="scenario_status"),
    path("<int:scenario_id>/sites.csv", views.scenario_csv, name="scenario_csv"),
    path("<int:scenario_id>/map.png", views.scenario_png, name="scenario_png"),
    path("<int:scenario_id>/map.html", views.scenario_html, name="scenario_html"),
    path("<int:scenario_id>/delete/", views.scenario_delete, name="scenario_delete"),
]
