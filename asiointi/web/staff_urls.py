from django.urls import path

from . import views

# A namespace of its own, not "web": a booth's screen reaches the public pages (namespace "web")
# but no staff page.
app_name = "staff"
urlpatterns = [
    path("", views.staff_home, name="home"),
]
