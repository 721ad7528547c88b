"""The staff's pages of point profiles, joined to the staff URLs (namespace "staff") by
``asiointi.web.staff_urls``."""

from django.urls import path

from . import views

staff_urlpatterns = [
    path("profiles/", views.profile_list, name="profile_list"),
    path("profiles/new/", views.profile_create, name="profile_create"),
    path("profiles/<int:profile_id>/", views.profile_edit, name="profile_edit"),
    path("profiles/<int:profile_id>/delete/", views.profile_delete, name="profile_delete"),
    path("point-profiles/", views.point_profile_list, name="point_profiles"),
    path("point-profiles/<slug:slug>/", views.point_profile, name="point_profile"),
]
