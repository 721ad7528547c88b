"""The advisor's desk, under the staff addresses (/fi/staff/desk/...)."""

from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.desk, name="desk"),
    path("<slug:slug>/counts/", views.counts, name="counts"),
    path("<slug:slug>/undo/<int:pk>/", views.undo, name="undo"),
    path("<slug:slug>/receipt/<int:pk>/", views.receipt, name="receipt"),
    path("<slug:slug>/callback/", views.callback_new, name="callback_new"),
    path("<slug:slug>/finder/", views.finder_results, name="finder"),
    path("<slug:slug>/callnow/", views.callnow_new, name="callnow_new"),
    path("<slug:slug>/callnow/panel/", views.callnow_panel, name="callnow_panel"),
    path("<slug:slug>/callnow/<int:pk>/cancel/", views.callnow_cancel, name="callnow_cancel"),
]
