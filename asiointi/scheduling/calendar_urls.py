"""The staff's scheduling pages (other than booking), under /<lang>/staff/schedule/."""

from django.urls import path

from . import calendar_views

app_name = "schedule"

urlpatterns = [
    path("calendar/", calendar_views.my_calendar, name="my_calendar"),
    path("availability/", calendar_views.availability, name="availability"),
    path("point-day/", calendar_views.point_day, name="point_day"),
    path("appointments/", calendar_views.appointment_list, name="appointment_list"),
    path("appointments/<int:pk>/", calendar_views.appointment_detail, name="appointment_detail"),
    path("appointments/<int:pk>/action/", calendar_views.appointment_action, name="appointment_action"),
]
