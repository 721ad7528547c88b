from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

ATTRIBUTION = _(
    "Contains data from Statistics Finland, THL and the National Land Survey of Finland (CC BY 4.0)."
)


def site(request: HttpRequest) -> dict[str, object]:
    from .selectors import staff_link_allowed

    return {
        "DATA_ATTRIBUTION": ATTRIBUTION,
        # Links of the main navigation that depend on the viewer's roles (the staff navigation's).
        "can_plan": lambda: staff_link_allowed(viewer=request.user, url_name="planning:index"),
    }
