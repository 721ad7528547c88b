"""The agencies' callback queues, under the staff addresses (/fi/staff/callbacks/...)."""

from django.urls import path

from . import views

app_name = "callbacks"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("panel/", views.queue_panel, name="panel"),
    path("<int:pk>/", views.callback_detail, name="detail"),
    path("<int:pk>/action/", views.callback_action, name="action"),
]
