"""The meeting pages, under /<lang>/meetings/: the staff's (their day, a meeting by its join link) and
the booth screen's (its kiosk, and the feedback after a meeting)."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meetings_today, name="today"),
    path("join/<str:token>/", views.meeting_room, name="room"),
    path("booth/", views.kiosk, name="kiosk"),
    path("booth/<uuid:key>/feedback/", views.kiosk_feedback, name="kiosk_feedback"),
]
