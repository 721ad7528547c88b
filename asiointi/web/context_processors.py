from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

ATTRIBUTION = _(
    "Contains data from Statistics Finland, THL and the National Land Survey of Finland (CC BY 4.0)."
)


def site(request: HttpRequest) -> dict[str, object]:
    return {"DATA_ATTRIBUTION": ATTRIBUTION}
