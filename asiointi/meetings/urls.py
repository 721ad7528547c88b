"""The meeting pages, under /<lang>/meetings/: the staff's (their day, a meeting by its join link) and
the booth screen's (its kiosk, and the feedback after a meeting)."""

from django.urls import path

from . import document_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meetings_today, name="today"),
    path("join/<str:token>/", views.meeting_room, name="room"),
    path("booth/", views.kiosk, name="kiosk"),
    path("booth/<uuid:key>/feedback/", views.kiosk_feedback, name="kiosk_feedback"),
    # Documents of a meeting and "call me by phone instead", by the participant's join link.
    path("join/<str:token>/documents/", document_views.meeting_documents, name="documents"),
    path("join/<str:token>/documents/<uuid:key>/", document_views.meeting_document, name="document"),
    path("join/<str:token>/phone/", document_views.meeting_phone, name="phone"),
]
