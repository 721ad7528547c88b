"""The advisor's booking page, under the staff addresses (/fi/staff/booking/...)."""

from django.urls import path

from . import booking_views

app_name = "booking"
urlpatterns = [
    path("", booking_views.index, name="index"),
    path("<slug:slug>/", booking_views.book, name="book"),
    path("<slug:slug>/<slug:code>/", booking_views.booked, name="booked"),
]
