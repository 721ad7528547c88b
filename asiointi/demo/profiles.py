"""The demo's point profiles (after the 2017 Pohjois-Savo workshop's three model profiles) and the
profile of every demo point. Most points offer what their profile asks; a few have real gaps: the
pilot points meet only some agencies remotely, and the mobile point visits Luhanka too seldom."""

from __future__ import annotations

from dataclasses import dataclass

from asiointi.catalogue.models import Channel, PointProfile, ProfileRequirement
from asiointi.catalogue.services import point_profile_set
from asiointi.network.models import Agency, PointKind, ServicePoint

from .points import PILOT_REMOTE, POINTS
from .texts import Text, translated

STATE_AGENCIES = ("kela", "vero", "poliisi", "dvv", "tyollisyys")
REMOTE_OR_VISITING = (Channel.REMOTE_MEETING.value, Channel.VISITING_OFFICIAL.value)
GUIDANCE = (Channel.ADVISOR_GUIDANCE.value,)


@dataclass(frozen=True)
class ProfileData:
    code: str
    level: int
    name: Text
    description: Text
    requirements: tuple[tuple[str, tuple[str, ...]], ...]
    point_kinds: tuple[str, ...] = ()
    min_visiting_days_per_month: int = 0


PROFILES = (
    ProfileData(
        "full",
        3,
        Text(
            "Täyden palvelun yhteispalvelupiste", "Fullständigt samservicekontor", "Full joint service point"
        ),
        Text(
            "Kela, Verohallinto, poliisin lupapalvelut, Digi- ja väestötietovirasto ja työllisyyspalvelut "
            "etäyhteydellä tai vierailevan virkailijan tapaamisella sekä palveluneuvojan neuvonta kaikkien "
            "niiden asioissa.",
            "FPA, Skatteförvaltningen, polisens tillståndstjänster, Myndigheten för digitalisering och "
            "befolkningsdata och sysselsättningstjänsterna på distans eller genom en besökande tjänsteman, "
            "och rådgivning av servicerådgivaren i alla deras ärenden.",
            "Kela, the Tax Administration, police permit services, the Digital and Population Data Services "
            "Agency and the employment services by remote meeting or a visiting official, and the service "
            "advisor's guidance in the matters of all of them.",
        ),
        tuple((a, REMOTE_OR_VISITING) for a in STATE_AGENCIES) + tuple((a, GUIDANCE) for a in STATE_AGENCIES),
        point_kinds=(PointKind.FIXED, PointKind.LIBRARY, PointKind.SHOP, PointKind.OTHER),
    ),
    ProfileData(
        "mobile",
        2,
        Text("Liikkuva palvelupiste", "Mobilt serviceställe", "Mobile service point"),
        Text(
            "Palveluneuvojan neuvonta Kelan, Verohallinnon, Digi- ja väestötietoviraston ja "
            "työllisyyspalveluiden asioissa sekä vierailupäiviä vähintään kahdesti kuukaudessa.",
            "Rådgivning av servicerådgivaren i ärenden hos FPA, Skatteförvaltningen, Myndigheten för "
            "digitalisering och befolkningsdata och sysselsättningstjänsterna, och besöksdagar minst två "
            "gånger i månaden.",
            "The service advisor's guidance in the matters of Kela, the Tax Administration, the Digital and "
            "Population Data Services Agency and the employment services, and visiting days at least twice "
            "a month.",
        ),
        tuple((a, GUIDANCE) for a in ("kela", "vero", "dvv", "tyollisyys")),
        point_kinds=(PointKind.MOBILE,),
        min_visiting_days_per_month=2,
    ),
    ProfileData(
        "digital",
        1,
        Text("Digitukipiste", "Digistödsställe", "Digital support point"),
        Text(
            "Palveluneuvojan opastus Kelan, Verohallinnon, poliisin, Digi- ja väestötietoviraston ja "
            "työllisyyspalveluiden verkkopalveluihin, esimerkiksi kirjastossa tai kaupassa.",
            "Servicerådgivarens handledning i e-tjänsterna hos FPA, Skatteförvaltningen, polisen, "
            "Myndigheten för digitalisering och befolkningsdata och sysselsättningstjänsterna, till exempel "
            "i ett bibliotek eller en butik.",
            "The service advisor's guidance to the e-services of Kela, the Tax Administration, the police, "
            "the Digital and Population Data Services Agency and the employment services, for example in a "
            "library or a shop.",
        ),
        tuple((a, GUIDANCE) for a in STATE_AGENCIES),
    ),
)

#: The profile of each demo point by its kind (a full point unless listed), and by address name: the
#: pilot points that meet only a few agencies remotely are digital support points.
PROFILE_BY_KIND: dict[str, str] = {
    PointKind.MOBILE: "mobile",
    PointKind.LIBRARY: "digital",
    PointKind.SHOP: "digital",
}
PROFILE_BY_POINT: dict[str, str] = {p.slug: "digital" for p in POINTS if p.remote == PILOT_REMOTE}


def load_profiles(points: dict[str, ServicePoint], agencies: dict[str, Agency]) -> dict[str, PointProfile]:
    """The three profiles (their requirements replaced by the data's) and a profile for every demo
    point; safe to run again."""
    profiles: dict[str, PointProfile] = {}
    for data in PROFILES:
        profile, _created = PointProfile.objects.update_or_create(
            code=data.code,
            defaults={
                **translated("name", data.name),
                **translated("description", data.description),
                "level": data.level,
                "point_kinds": list(data.point_kinds),
                "min_visiting_days_per_month": data.min_visiting_days_per_month,
            },
        )
        ProfileRequirement.objects.filter(profile=profile).delete()
        ProfileRequirement.objects.bulk_create(
            ProfileRequirement(profile=profile, agency=agencies[code], channels=list(channels))
            for code, channels in data.requirements
        )
        profiles[data.code] = profile
    for slug, point in points.items():
        code = PROFILE_BY_POINT.get(slug) or PROFILE_BY_KIND.get(point.kind, "full")
        point_profile_set(point=point, profile=profiles[code])
    return profiles
