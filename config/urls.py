from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog

from asiointi.accounts.views import admin_sign_in

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The API (docs/api.md): one address for every language; ?lang= or Accept-Language chooses.
    path("api/v1/", include("asiointi.api.urls")),
    # Private calendar feeds of experts and interpreters: one address a calendar app subscribes to.
    path("calendar/", include("asiointi.scheduling.feed_urls")),
]

urlpatterns += i18n_patterns(
    # The administration has no sign-in of its own: its login page (admin:login, which its pages
    # redirect to) sends to the staff sign-in with the second factor.
    path("admin/login/", admin_sign_in),
    path("admin/", admin.site.urls),
    path("accounts/", include("asiointi.accounts.urls")),
    path("planning/", include("asiointi.planning.urls")),
    path("staff/statements/", include("asiointi.ledger.urls")),
    path("staff/schedule/", include("asiointi.scheduling.calendar_urls")),
    path("staff/booking/", include("asiointi.scheduling.booking_urls")),
    path("staff/desk/", include("asiointi.desk.urls")),
    path("staff/callbacks/", include("asiointi.desk.callback_urls")),
    path("meetings/", include("asiointi.meetings.urls")),
    path("staff/", include("asiointi.web.staff_urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The ledger's feedback and statistics pages (public ones with translated paths, staff ones under staff/).
    path("", include("asiointi.ledger.feedback_urls")),
    path("", include("asiointi.ledger.statistics_urls")),
    path("appointments/", include("asiointi.scheduling.public_urls")),
    path("", include("asiointi.web.urls")),
    prefix_default_language=True,
)

# The product's own error pages, in the request's language (404 is Django's view with 404.html).
handler403 = "asiointi.web.errors.permission_denied"
handler500 = "asiointi.web.errors.server_error"
