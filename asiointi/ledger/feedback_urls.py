"""The feedback pages: the public link of a transaction, translated by language
(``/fi/palaute/<key>/``, ``/sv/respons/<key>/``, ``/en/feedback/<key>/``), and the staff's list."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import feedback_views

app_name = "feedback"
urlpatterns = [
    path(_("feedback/thank-you/"), feedback_views.feedback_thanks, name="thanks"),
    path(_("feedback/<str:token>/"), feedback_views.feedback_form, name="form"),
    path("staff/feedback/", feedback_views.feedback_texts, name="texts"),
]
