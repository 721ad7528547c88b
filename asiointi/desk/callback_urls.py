"""The agencies' callback queues and call-now queues, under the staff addresses (/fi/staff/callbacks/...)."""

from django.urls import path

from . import views

app_name = "callbacks"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("panel/", views.queue_panel, name="panel"),
    path("<int:pk>/", views.callback_detail, name="detail"),
    path("<int:pk>/action/", views.callback_action, name="action"),
    # The call-now queue of an agency's experts.
    path("now/", views.callnow_queue, name="now"),
    path("now/panel/", views.callnow_queue_panel, name="now_panel"),
    path("now/<int:pk>/accept/", views.callnow_accept, name="now_accept"),
]
