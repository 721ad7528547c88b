"""Template tags of the base layout and the public pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from asiointi.catalogue.models import Channel
from asiointi.network.models import Booth, ServiceLanguage, ServicePoint
from asiointi.web.map import finland_map

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in the language itself: "suomi", "svenska", "English"
    url: str
    absolute_url: str
    is_current: bool
    #: The site's default language, whose page is also the ``hreflang="x-default"`` alternate.
    is_default: bool = False


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[LanguageLink]:
    """The current page in each of the site's languages."""
    request = context.get("request")
    if request is None:
        return []
    path = request.get_full_path()
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        links.append(
            LanguageLink(
                code=code,
                name=get_language_info(code)["name_local"],
                url=url,
                absolute_url=request.build_absolute_uri(url),
                is_current=code == current,
                is_default=code == settings.LANGUAGE_CODE,
            )
        )
    return links


@register.filter
def channel_label(code: str) -> str:
    """The label of a catalogue channel code in the active language."""
    try:
        return str(Channel(code).label)
    except ValueError:
        return code


@register.inclusion_tag("web/includes/map.html")
def finland_map_svg(
    points: Iterable[ServicePoint], selected_code: str = "", title_id: str = "map-title"
) -> dict[str, Any]:
    """The map of Finland with a focusable marker link per point; ``selected_code`` highlights a
    municipality."""
    fmap = finland_map()
    markers = []
    for point in points:
        x, y = fmap.place(point.lon, point.lat)
        markers.append({"point": point, "x": x, "y": y})
    # The selected municipality is drawn last so that its outline is not covered by its neighbours.
    shapes = [s for s in fmap.shapes if s.code != selected_code]
    selected = next((s for s in fmap.shapes if s.code == selected_code), None)
    return {"map": fmap, "shapes": shapes, "selected": selected, "markers": markers, "title_id": title_id}


@register.filter
def language_label(code: str) -> str:
    """The name of a service language code (``languages`` of a point) in the active language."""
    try:
        return str(ServiceLanguage(code).label)
    except ValueError:
        return code


@register.filter
def booth_equipment(booth: Booth) -> list[bool]:
    """The booth's equipment flags in the order of ``Booth.EQUIPMENT_FIELDS``."""
    return [bool(getattr(booth, name)) for name in Booth.EQUIPMENT_FIELDS]


@register.simple_tag
def booth_equipment_labels() -> list[str]:
    """Column headings for ``booth_equipment``: the fields' names in the active language."""
    labels = []
    for name in Booth.EQUIPMENT_FIELDS:
        field = Booth._meta.get_field(name)
        labels.append(str(getattr(field, "verbose_name", name)))
    return labels
