from django.urls import path

from asiointi.catalogue.staff_urls import staff_urlpatterns as profile_urlpatterns
from asiointi.scheduling.feed_urls import staff_urlpatterns as scheduling_feed_urlpatterns

from . import views

# A namespace of its own, not "web": a booth's screen reaches the public pages (namespace "web")
# but no staff page.
app_name = "staff"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("gaps/", views.profile_gaps, name="profile_gaps"),
]
urlpatterns += scheduling_feed_urlpatterns
urlpatterns += profile_urlpatterns
