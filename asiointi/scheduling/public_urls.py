"""The resident's booking pages, under the public, language-prefixed addresses (/fi/appointments/...)."""

from django.urls import path

from . import public_views

app_name = "appointments"
urlpatterns = [
    path("", public_views.book, name="book"),
    path("time/", public_views.book_contact, name="book_contact"),
    path("booked/<slug:code>/", public_views.booked, name="booked"),
    path("manage/", public_views.manage, name="manage"),
    path("manage/<slug:code>/", public_views.manage_detail, name="manage_detail"),
    path("manage/<slug:code>/cancel/", public_views.manage_cancel, name="manage_cancel"),
    path("manage/<slug:code>/move/", public_views.manage_move, name="manage_move"),
]
