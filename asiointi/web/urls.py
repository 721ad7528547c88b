from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("points/", views.point_list, name="point_list"),
    path("points/<slug:slug>/", views.point_detail, name="point_detail"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<slug:code>/", views.agency_detail, name="agency_detail"),
    path("services/search/", views.service_search, name="service_search"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
