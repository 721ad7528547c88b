"""The private calendar feeds (outside the language prefix: a calendar app fetches one address) and,
in ``staff_urlpatterns``, the staff page that manages them (included by ``asiointi.web.staff_urls``)."""

from django.urls import path

from . import feed_views

app_name = "calendar"
urlpatterns = [
    path("<str:token>.ics", feed_views.calendar_feed, name="feed"),
]

#: Joined to the staff URLs (namespace "staff").
staff_urlpatterns = [
    path("calendar-feed/", feed_views.feed_settings, name="calendar_feed"),
]
