"""The demo's joint service points, where real ones were.

The 2014 trial points (Karstula, Kiiminki in Oulu, Mikkeli, Saarijärvi, Parainen, Pelkosenniemi) and
points of the 2012–2013 remote service pilot in Etelä-Pohjanmaa and Keski-Suomi. Addresses are
plausible, postal codes real (see ``data/geo/fi_postal_areas_pop2022.csv``), coordinates the
municipality's administrative centre plus a small offset.

Karstula tells the whole story: Kela, the employment services, DVV and legal aid daily by remote
service, part of the Tax Administration's services remotely, police permit services visiting on the first
and third Tuesday of the month, Kela's own clerk on Mondays, Wednesdays and Thursdays, and two employment
advisers of the employment area by appointment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .texts import Text

FI = ["fi"]
FI_EN = ["fi", "en"]
MON, TUE, WED, THU, FRI, SAT = 0, 1, 2, 3, 4, 5
WEEKDAYS = (MON, TUE, WED, THU, FRI)


@dataclass(frozen=True)
class Hours:
    """A weekly opening hours rule for one or more weekdays."""

    weekdays: tuple[int, ...]
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class BoothData:
    name: str
    document_camera: bool = True
    printer: bool = False
    scanner: bool = False
    second_screen: bool = False
    step_free: bool = True


@dataclass(frozen=True)
class VisitData:
    """An agency's own staff at the point on recurring days (a VisitingSchedule)."""

    agency: str
    title: Text
    weekday: int
    starts: dt.time
    ends: dt.time
    weeks_of_month: tuple[int, ...] = ()  # monthly when given, else weekly
    interval: int = 1
    by_appointment: bool = False
    customers: tuple[int, int] = (4, 10)  # customers served during one visit, at least and at most


@dataclass(frozen=True)
class MunicipalAgencyData:
    code: str
    name: Text
    website: str


@dataclass(frozen=True)
class PointData:
    slug: str
    municipality: str  # municipality code
    name: Text
    agency: MunicipalAgencyData
    street_address: str
    postal_code: str
    phone: str
    email: str
    hours: tuple[Hours, ...]
    booths: tuple[BoothData, ...]
    remote: tuple[str, ...]  # agencies that meet customers here by remote service
    kind: str = "fixed"
    languages: list[str] = field(default_factory=lambda: list(FI))
    offset: tuple[float, float] = (0.0008, 0.0012)  # from the administrative centre, degrees
    coordinates: tuple[float, float] | None = None  # instead of the municipality's centre
    post_office: Text | None = None  # default: the municipality's name
    description: Text | None = None
    visits: tuple[VisitData, ...] = ()
    callback: tuple[str, ...] = ("kela", "vero", "tyollisyys", "dvv")
    police_guidance: bool = True  # the advisor guides police permit matters and takes in lost property
    population: int | None = None  # residents served, if not the whole municipality
    active_from: dt.date = dt.date(2014, 1, 1)


def t(hhmm: str) -> dt.time:
    hours, minutes = hhmm.split(".")
    return dt.time(int(hours), int(minutes))


def weekly(opens: str, closes: str, days: tuple[int, ...] = WEEKDAYS) -> Hours:
    return Hours(days, t(opens), t(closes))


def kunta(code: str, fi: str, sv: str, en: str, web: str, *, city: bool = False) -> MunicipalAgencyData:
    """A municipality as an agency: ``kunta("karstula", "Karstulan", "Karstula", "Karstula", ...)``."""
    if city:
        return MunicipalAgencyData(
            f"{code}-kaupunki", Text(f"{fi} kaupunki", f"{sv} stad", f"City of {en}"), f"https://www.{web}"
        )
    return MunicipalAgencyData(
        f"{code}-kunta", Text(f"{fi} kunta", f"{sv} kommun", f"Municipality of {en}"), f"https://www.{web}"
    )


def point_name(fi_genitive: str, sv: str, en: str) -> Text:
    return Text(f"{fi_genitive} yhteispalvelupiste", f"{sv} samservicekontor", f"{en} joint service point")


def police_visit(
    weekday: int, weeks: tuple[int, ...], starts: str = "10.00", ends: str = "14.00"
) -> VisitData:
    return VisitData(
        "poliisi",
        Text("Poliisin lupapalvelut", "Polisens tillståndstjänster", "Police permit services"),
        weekday,
        t(starts),
        t(ends),
        weeks_of_month=weeks,
        customers=(6, 12),
    )


def kela_visit(weekday: int, starts: str = "9.00", ends: str = "15.00", interval: int = 1) -> VisitData:
    return VisitData(
        "kela",
        Text(
            "Kelan palveluneuvoja paikalla", "FPA:s kundrådgivare på plats", "Kela's customer adviser on site"
        ),
        weekday,
        t(starts),
        t(ends),
        interval=interval,
        customers=(5, 11),
    )


ALL_REMOTE = ("kela", "tyollisyys", "dvv", "oikeusapu", "vero")
PILOT_REMOTE = ("kela", "tyollisyys", "oikeusapu")

KARSTULA = PointData(
    slug="karstula",
    municipality="226",
    name=point_name("Karstulan", "Karstula", "Karstula"),
    agency=kunta("karstula", "Karstulan", "Karstula", "Karstula", "karstula.fi"),
    description=Text(
        "Kelan, työllisyyspalveluiden, Digi- ja väestötietoviraston ja oikeusaputoimiston asiantuntijat tavoitat "
        "etäpalveluna joka päivä, osan Verohallinnon palveluista myös. Poliisin lupapalvelut käyvät kuukauden "
        "ensimmäisenä ja kolmantena tiistaina.",
        "Experter från FPA, sysselsättningstjänsterna, Myndigheten för digitalisering och befolkningsdata och "
        "rättshjälpsbyrån når du dagligen som distanstjänst, likaså en del av Skatteförvaltningens tjänster. "
        "Polisens tillståndstjänster besöker kontoret den första och tredje tisdagen i månaden.",
        "You can meet experts of Kela, the employment services, the Digital and Population Data Services Agency and "
        "legal aid every day by remote service, and some Tax Administration services too. Police permit "
        "services visit on the first and third Tuesday of the month.",
    ),
    street_address="Virastotie 2",
    postal_code="43500",
    phone="044 459 1230",
    email="yhteispalvelu@karstula.fi",
    languages=FI_EN,
    hours=(weekly("9.00", "15.00"),),
    booths=(
        BoothData("Etäpiste 1", document_camera=True, printer=True, scanner=True, second_screen=True),
        BoothData("Etäpiste 2", document_camera=True, printer=False, scanner=True),
    ),
    remote=ALL_REMOTE,
    visits=(
        police_visit(TUE, (1, 3)),
        VisitData(
            "kela",
            Text("Kelan virkailija paikalla", "FPA:s handläggare på plats", "Kela's clerk on site"),
            MON,
            t("9.00"),
            t("15.00"),
            customers=(6, 12),
        ),
        VisitData(
            "kela",
            Text("Kelan virkailija paikalla", "FPA:s handläggare på plats", "Kela's clerk on site"),
            WED,
            t("9.00"),
            t("15.00"),
            customers=(6, 12),
        ),
        VisitData(
            "kela",
            Text("Kelan virkailija paikalla", "FPA:s handläggare på plats", "Kela's clerk on site"),
            THU,
            t("9.00"),
            t("15.00"),
            customers=(6, 12),
        ),
        VisitData(
            "tyollisyys",
            Text(
                "Kaksi työllisyysalueen asiantuntijaa ajanvarauksella",
                "Två experter från sysselsättningsområdet med tidsbokning",
                "Two employment area advisers by appointment",
            ),
            TUE,
            t("9.00"),
            t("15.00"),
            by_appointment=True,
            customers=(4, 8),
        ),
    ),
)

POINTS: tuple[PointData, ...] = (
    KARSTULA,
    PointData(
        slug="kiiminki",
        municipality="564",
        name=point_name("Kiimingin", "Kiiminki", "Kiiminki"),
        agency=kunta("oulu", "Oulun", "Uleåborgs", "Oulu", "ouka.fi", city=True),
        street_address="Kirkkotie 6",
        postal_code="90900",
        post_office=Text("Kiiminki", "Kiiminki", "Kiiminki"),
        coordinates=(65.1323, 25.7279),
        phone="08 558 45 900",
        email="kiiminki.yhteispalvelu@ouka.fi",
        languages=FI_EN,
        population=13_700,
        hours=(weekly("9.00", "16.00", (MON, TUE, WED, FRI)), weekly("9.00", "18.00", (THU,))),
        booths=(
            BoothData("Etäpiste A", printer=True, scanner=True, second_screen=True),
            BoothData("Etäpiste B", scanner=True),
            BoothData("Neuvotteluhuone", document_camera=False, second_screen=True),
        ),
        remote=ALL_REMOTE,
        visits=(kela_visit(THU, "12.00", "18.00"),),
    ),
    PointData(
        slug="mikkeli",
        municipality="491",
        name=point_name("Mikkelin", "S:t Michels", "Mikkeli"),
        agency=kunta("mikkeli", "Mikkelin", "S:t Michels", "Mikkeli", "mikkeli.fi", city=True),
        street_address="Maaherrankatu 9",
        postal_code="50100",
        phone="015 194 2000",
        email="yhteispalvelu@mikkeli.fi",
        languages=FI_EN,
        hours=(weekly("8.00", "16.00"),),
        booths=(
            BoothData("Etäpiste 1", printer=True, scanner=True, second_screen=True),
            BoothData("Etäpiste 2", printer=True),
        ),
        remote=("tyollisyys", "dvv", "oikeusapu"),
        police_guidance=True,
    ),
    PointData(
        slug="saarijarvi",
        municipality="729",
        name=point_name("Saarijärven", "Saarijärvi", "Saarijärvi"),
        agency=kunta("saarijarvi", "Saarijärven", "Saarijärvi", "Saarijärvi", "saarijarvi.fi", city=True),
        street_address="Sivulantie 11",
        postal_code="43100",
        phone="044 459 8200",
        email="yhteispalvelu@saarijarvi.fi",
        hours=(weekly("9.00", "11.30"), weekly("12.30", "15.00")),
        booths=(
            BoothData("Etäpiste", printer=True, scanner=True),
            BoothData("Kela-huone", document_camera=False, step_free=False),
        ),
        remote=ALL_REMOTE,
        visits=(kela_visit(TUE, "9.00", "11.30"),),
    ),
    PointData(
        slug="parainen",
        municipality="445",
        name=Text("Paraisten yhteispalvelupiste", "Pargas samservicekontor", "Parainen joint service point"),
        agency=MunicipalAgencyData(
            "parainen-kaupunki",
            Text("Paraisten kaupunki", "Pargas stad", "City of Parainen"),
            "https://www.pargas.fi",
        ),
        description=Text(
            "Kaksikielinen yhteispalvelupiste: palvelua ruotsiksi ja suomeksi.",
            "Tvåspråkigt samservicekontor: service på svenska och finska.",
            "A bilingual joint service point: service in Swedish and Finnish.",
        ),
        street_address="Strandvägen 28",
        postal_code="21600",
        phone="02 458 5700",
        email="samservice@pargas.fi",
        languages=["sv", "fi", "en"],
        hours=(weekly("9.00", "15.00", (MON, TUE, WED, FRI)), weekly("9.00", "17.00", (THU,))),
        booths=(
            BoothData("Distanspunkt 1", printer=True, scanner=True, second_screen=True),
            BoothData("Distanspunkt 2", scanner=True),
        ),
        remote=ALL_REMOTE,
        visits=(police_visit(WED, (2, 4)),),
    ),
    PointData(
        slug="pelkosenniemi",
        municipality="583",
        name=point_name("Pelkosenniemen", "Pelkosenniemi", "Pelkosenniemi"),
        agency=kunta("pelkosenniemi", "Pelkosenniemen", "Pelkosenniemi", "Pelkosenniemi", "pelkosenniemi.fi"),
        street_address="Sodankyläntie 1",
        postal_code="98500",
        phone="040 553 1400",
        email="yhteispalvelu@pelkosenniemi.fi",
        hours=(weekly("9.00", "14.00", (MON, TUE, WED, THU)),),
        booths=(BoothData("Etäpiste", printer=True, scanner=True),),
        remote=ALL_REMOTE,
        visits=(
            VisitData(
                "kela",
                Text(
                    "Kelan virkailija Kemijärveltä",
                    "FPA:s handläggare från Kemijärvi",
                    "Kela's clerk from Kemijärvi",
                ),
                WED,
                t("10.00"),
                t("13.00"),
                weeks_of_month=(-1,),
                customers=(3, 7),
            ),
        ),
    ),
    # Etelä-Pohjanmaa
    PointData(
        slug="alajarvi",
        municipality="005",
        name=point_name("Alajärven", "Alajärvi", "Alajärvi"),
        agency=kunta("alajarvi", "Alajärven", "Alajärvi", "Alajärvi", "alajarvi.fi", city=True),
        street_address="Kauppatie 1",
        postal_code="62900",
        phone="06 2412 2100",
        email="yhteispalvelu@alajarvi.fi",
        hours=(weekly("9.00", "15.00", (MON, TUE, WED, FRI)), weekly("9.00", "17.00", (THU,))),
        booths=(BoothData("Etäpiste 1", printer=True, scanner=True), BoothData("Etäpiste 2")),
        remote=ALL_REMOTE,
        visits=(police_visit(WED, (2,)), kela_visit(TUE)),
    ),
    PointData(
        slug="alavus",
        municipality="010",
        name=point_name("Alavuden", "Alavo", "Alavus"),
        agency=kunta("alavus", "Alavuden", "Alavo", "Alavus", "alavus.fi", city=True),
        street_address="Taitoniekantie 9",
        postal_code="63300",
        post_office=Text("Alavus", "Alavo", "Alavus"),
        phone="06 2525 1000",
        email="yhteispalvelu@alavus.fi",
        hours=(weekly("8.30", "15.30"),),
        booths=(BoothData("Etäpiste", printer=True, scanner=True, second_screen=True),),
        remote=ALL_REMOTE,
        visits=(
            police_visit(THU, (2, 4)),
            VisitData(
                "tyollisyys",
                Text(
                    "Työllisyysalueen asiantuntija ajanvarauksella",
                    "Expert från sysselsättningsområdet med tidsbokning",
                    "Employment area adviser by appointment",
                ),
                MON,
                t("9.00"),
                t("15.00"),
                by_appointment=True,
                customers=(3, 7),
            ),
        ),
    ),
    PointData(
        slug="kuortane",
        municipality="300",
        name=point_name("Kuortaneen", "Kuortane", "Kuortane"),
        agency=kunta("kuortane", "Kuortaneen", "Kuortane", "Kuortane", "kuortane.fi"),
        street_address="Keskustie 24",
        postal_code="63100",
        phone="06 2410 6100",
        email="yhteispalvelu@kuortane.fi",
        hours=(weekly("9.00", "15.00"),),
        booths=(BoothData("Etäpiste", scanner=True),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="lappajarvi",
        municipality="403",
        name=point_name("Lappajärven", "Lappajärvi", "Lappajärvi"),
        agency=kunta("lappajarvi", "Lappajärven", "Lappajärvi", "Lappajärvi", "lappajarvi.fi"),
        street_address="Kauppatie 25",
        postal_code="62600",
        phone="06 2410 4500",
        email="yhteispalvelu@lappajarvi.fi",
        hours=(weekly("9.00", "14.30"),),
        booths=(BoothData("Etäpiste", printer=True),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="soini",
        municipality="759",
        name=point_name("Soinin", "Soini", "Soini"),
        agency=kunta("soini", "Soinin", "Soini", "Soini", "soini.fi"),
        street_address="Keskustie 48",
        postal_code="63800",
        phone="06 2410 7700",
        email="yhteispalvelu@soini.fi",
        hours=(weekly("9.00", "14.00", (MON, TUE, WED, THU)), weekly("9.00", "12.00", (FRI,))),
        booths=(BoothData("Etäpiste", document_camera=False, step_free=False),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="teuva",
        municipality="846",
        name=point_name("Teuvan", "Östermarks", "Teuva"),
        agency=kunta("teuva", "Teuvan", "Östermarks", "Teuva", "teuva.fi"),
        street_address="Kirkkotie 4",
        postal_code="64700",
        post_office=Text("Teuva", "Östermark", "Teuva"),
        phone="06 2416 1000",
        email="yhteispalvelu@teuva.fi",
        hours=(weekly("9.00", "15.00"),),
        booths=(BoothData("Etäpiste 1", printer=True, scanner=True), BoothData("Etäpiste 2", scanner=True)),
        remote=("kela", "tyollisyys", "dvv", "oikeusapu"),
        visits=(kela_visit(WED, "9.00", "12.00", interval=2), police_visit(THU, (3,), "10.00", "13.00")),
    ),
    PointData(
        slug="isojoki",
        municipality="151",
        name=point_name("Isojoen", "Storå", "Isojoki"),
        agency=kunta("isojoki", "Isojoen", "Storå", "Isojoki", "isojoki.fi"),
        street_address="Kauppatie 1",
        postal_code="64900",
        post_office=Text("Isojoki", "Storå", "Isojoki"),
        phone="06 2416 2000",
        email="yhteispalvelu@isojoki.fi",
        hours=(weekly("9.00", "15.00", (MON, TUE, WED, THU)),),
        booths=(BoothData("Etäpiste", printer=True),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="karijoki",
        municipality="218",
        name=point_name("Karijoen", "Bötom", "Karijoki"),
        agency=kunta("karijoki", "Karijoen", "Bötoms", "Karijoki", "karijoki.fi"),
        street_address="Teuvantie 2",
        postal_code="64350",
        post_office=Text("Karijoki", "Bötom", "Karijoki"),
        phone="06 2416 3000",
        email="yhteispalvelu@karijoki.fi",
        hours=(weekly("9.00", "13.00", (MON, WED, THU)),),
        booths=(BoothData("Etäpiste", document_camera=True),),
        remote=("kela", "tyollisyys"),
    ),
    PointData(
        slug="vimpeli",
        municipality="934",
        name=point_name("Vimpelin", "Vindala", "Vimpeli"),
        agency=kunta("vimpeli", "Vimpelin", "Vindala", "Vimpeli", "vimpeli.fi"),
        street_address="Vimpelintie 19",
        postal_code="62800",
        post_office=Text("Vimpeli", "Vindala", "Vimpeli"),
        phone="06 2418 3100",
        email="yhteispalvelu@vimpeli.fi",
        hours=(weekly("9.00", "15.00"),),
        booths=(BoothData("Etäpiste", printer=True, scanner=True),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="evijarvi",
        municipality="052",
        name=point_name("Evijärven", "Evijärvi", "Evijärvi"),
        agency=kunta("evijarvi", "Evijärven", "Evijärvi", "Evijärvi", "evijarvi.fi"),
        street_address="Evijärventie 5",
        postal_code="62500",
        phone="06 2413 1100",
        email="yhteispalvelu@evijarvi.fi",
        hours=(weekly("9.00", "14.00"),),
        booths=(BoothData("Etäpiste", scanner=True),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="ahtari",
        municipality="989",
        name=point_name("Ähtärin", "Etseri", "Ähtäri"),
        agency=kunta("ahtari", "Ähtärin", "Etseri", "Ähtäri", "ahtari.fi", city=True),
        street_address="Ostolantie 4",
        postal_code="63700",
        post_office=Text("Ähtäri", "Etseri", "Ähtäri"),
        phone="06 2411 3200",
        email="yhteispalvelu@ahtari.fi",
        hours=(weekly("9.00", "15.00", (MON, TUE, WED, FRI)), weekly("9.00", "17.00", (THU,))),
        booths=(
            BoothData("Etäpiste 1", printer=True, scanner=True, second_screen=True),
            BoothData("Etäpiste 2"),
        ),
        remote=ALL_REMOTE,
        visits=(police_visit(TUE, (2, 4), "10.00", "13.00"),),
    ),
    # Keski-Suomi
    PointData(
        slug="kyyjarvi",
        municipality="312",
        name=point_name("Kyyjärven", "Kyyjärvi", "Kyyjärvi"),
        agency=kunta("kyyjarvi", "Kyyjärven", "Kyyjärvi", "Kyyjärvi", "kyyjarvi.fi"),
        street_address="Keskustie 4",
        postal_code="43700",
        phone="040 351 1100",
        email="yhteispalvelu@kyyjarvi.fi",
        hours=(weekly("9.00", "14.00", (MON, TUE, WED, THU)),),
        booths=(BoothData("Etäpiste", printer=True),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="kinnula",
        municipality="256",
        name=point_name("Kinnulan", "Kinnula", "Kinnula"),
        agency=kunta("kinnula", "Kinnulan", "Kinnula", "Kinnula", "kinnula.fi"),
        street_address="Kinnulantie 33",
        postal_code="43900",
        phone="040 351 2200",
        email="yhteispalvelu@kinnula.fi",
        hours=(weekly("9.00", "15.00", (MON, TUE, WED, THU)), weekly("9.00", "13.00", (FRI,))),
        booths=(BoothData("Etäpiste", scanner=True),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="kivijarvi",
        municipality="265",
        kind="library",
        name=Text(
            "Kivijärven kirjaston yhteispalvelupiste",
            "Kivijärvi bibliotekets samserviceställe",
            "Kivijärvi library joint service point",
        ),
        agency=kunta("kivijarvi", "Kivijärven", "Kivijärvi", "Kivijärvi", "kivijarvi.fi"),
        description=Text(
            "Yhteispalvelupiste kunnankirjastossa. Kirjaston henkilökunta opastaa verkkoasioinnissa.",
            "Samserviceställe i kommunbiblioteket. Bibliotekets personal handleder i e-tjänster.",
            "A joint service point in the municipal library. The library staff guide you in online services.",
        ),
        street_address="Kivijärventie 48",
        postal_code="43800",
        phone="040 351 3300",
        email="kirjasto@kivijarvi.fi",
        hours=(
            weekly("12.00", "18.00", (MON,)),
            weekly("10.00", "12.00", (TUE, WED, THU)),
            weekly("12.30", "16.00", (TUE, WED, THU)),
            weekly("10.00", "14.00", (FRI,)),
        ),
        booths=(BoothData("Kirjaston etäpiste", document_camera=True, printer=True),),
        remote=("kela", "tyollisyys"),
        callback=("kela", "vero"),
    ),
    PointData(
        slug="pihtipudas",
        municipality="601",
        name=point_name("Pihtiputaan", "Pihtipudas", "Pihtipudas"),
        agency=kunta("pihtipudas", "Pihtiputaan", "Pihtipudas", "Pihtipudas", "pihtipudas.fi"),
        street_address="Keskustie 2",
        postal_code="44800",
        phone="040 351 4400",
        email="yhteispalvelu@pihtipudas.fi",
        hours=(weekly("9.00", "15.00"),),
        booths=(
            BoothData("Etäpiste 1", printer=True, scanner=True),
            BoothData("Etäpiste 2", document_camera=False),
        ),
        remote=ALL_REMOTE,
        visits=(police_visit(THU, (-1,), "10.00", "13.00"),),
    ),
    PointData(
        slug="viitasaari",
        municipality="931",
        name=point_name("Viitasaaren", "Viitasaari", "Viitasaari"),
        agency=kunta("viitasaari", "Viitasaaren", "Viitasaari", "Viitasaari", "viitasaari.fi", city=True),
        street_address="Keskitie 10",
        postal_code="44500",
        phone="044 459 7100",
        email="yhteispalvelu@viitasaari.fi",
        hours=(weekly("9.00", "15.30", (MON, TUE, WED, FRI)), weekly("9.00", "17.00", (THU,))),
        booths=(
            BoothData("Etäpiste 1", printer=True, scanner=True, second_screen=True),
            BoothData("Etäpiste 2", scanner=True),
        ),
        remote=ALL_REMOTE,
        visits=(police_visit(WED, (1,), "10.00", "13.00"), kela_visit(TUE, interval=2)),
    ),
    PointData(
        slug="kannonkoski",
        municipality="216",
        name=point_name("Kannonkosken", "Kannonkoski", "Kannonkoski"),
        agency=kunta("kannonkoski", "Kannonkosken", "Kannonkoski", "Kannonkoski", "kannonkoski.fi"),
        street_address="Keskustie 1",
        postal_code="43300",
        phone="040 351 5500",
        email="yhteispalvelu@kannonkoski.fi",
        hours=(weekly("9.00", "14.00", (MON, TUE, WED, THU)),),
        booths=(BoothData("Etäpiste"),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="multia",
        municipality="495",
        name=point_name("Multian", "Multia", "Multia"),
        agency=kunta("multia", "Multian", "Multia", "Multia", "multia.fi"),
        street_address="Multiantie 38",
        postal_code="42600",
        phone="040 351 6600",
        email="yhteispalvelu@multia.fi",
        hours=(weekly("9.00", "14.00"),),
        booths=(BoothData("Etäpiste", printer=True),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="luhanka",
        municipality="435",
        kind="mobile",
        name=Text("Luhangan asiointiauto", "Luhanka servicebil", "Luhanka mobile service point"),
        agency=kunta("luhanka", "Luhangan", "Luhanka", "Luhanka", "luhanka.fi"),
        description=Text(
            "Asiointiauto kiertää kylissä tiistaisin ja torstaisin; autossa on etäpiste videoyhteydellä.",
            "Servicebilen besöker byarna på tisdagar och torsdagar; bilen har en distanspunkt med videolänk.",
            "The service van tours the villages on Tuesdays and Thursdays, with a video booth on board.",
        ),
        street_address="Tammijärventie 38",
        postal_code="19950",
        phone="040 351 7700",
        email="asiointiauto@luhanka.fi",
        hours=(weekly("10.00", "14.00", (TUE, THU)),),
        booths=(BoothData("Auton etäpiste", document_camera=False, second_screen=False, step_free=False),),
        remote=("kela", "tyollisyys"),
        callback=("kela", "vero"),
        police_guidance=False,
    ),
    PointData(
        slug="toivakka",
        municipality="850",
        name=point_name("Toivakan", "Toivakka", "Toivakka"),
        agency=kunta("toivakka", "Toivakan", "Toivakka", "Toivakka", "toivakka.fi"),
        street_address="Toivakantie 32",
        postal_code="41660",
        phone="040 351 8800",
        email="yhteispalvelu@toivakka.fi",
        hours=(weekly("9.00", "15.00", (MON, TUE, WED, THU)), weekly("9.00", "12.00", (FRI,))),
        booths=(BoothData("Etäpiste", scanner=True, printer=True),),
        remote=PILOT_REMOTE,
    ),
    PointData(
        slug="joutsa",
        municipality="172",
        name=point_name("Joutsan", "Joutsa", "Joutsa"),
        agency=kunta("joutsa", "Joutsan", "Joutsa", "Joutsa", "joutsa.fi"),
        street_address="Jousitie 33",
        postal_code="19650",
        phone="040 351 9900",
        email="yhteispalvelu@joutsa.fi",
        hours=(weekly("9.00", "15.00"),),
        booths=(
            BoothData("Etäpiste 1", printer=True, scanner=True, second_screen=True),
            BoothData("Etäpiste 2"),
        ),
        remote=("kela", "tyollisyys", "dvv", "oikeusapu"),
        visits=(police_visit(TUE, (2,), "10.00", "13.00"),),
    ),
    PointData(
        slug="konnevesi",
        municipality="275",
        name=point_name("Konneveden", "Konnevesi", "Konnevesi"),
        agency=kunta("konnevesi", "Konneveden", "Konnevesi", "Konnevesi", "konnevesi.fi"),
        street_address="Keskustie 15",
        postal_code="44300",
        phone="040 352 1000",
        email="yhteispalvelu@konnevesi.fi",
        hours=(weekly("9.00", "14.30"),),
        booths=(BoothData("Etäpiste", printer=True),),
        remote=PILOT_REMOTE,
    ),
)


@dataclass(frozen=True)
class ExceptionData:
    point: str
    date: dt.date
    reason: Text
    opens: dt.time | None = None  # None: closed all day
    closes: dt.time | None = None


def midsummer_eve(year: int) -> dt.date:
    """Juhannusaatto: the Friday between 19 and 25 June."""
    day = dt.date(year, 6, 19)
    return day + dt.timedelta(days=(FRI - day.weekday()) % 7)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7 + 7 * (n - 1))


def opening_exceptions(last_month: dt.date) -> tuple[ExceptionData, ...]:
    """Dated exceptions near the demo period, which ends with the month of ``last_month``.

    An extra opening in Parainen on the latest Midsummer Eve, a Saturday opening in Saarijärvi for the
    autumn market, and a closure in Viitasaari for staff training.
    """
    eve = midsummer_eve(last_month.year)
    if eve > last_month:
        eve = midsummer_eve(last_month.year - 1)
    return (
        ExceptionData(
            "parainen",
            eve,
            Text(
                "Avoinna juhannusaattona saariston kesäasukkaita varten",
                "Öppet på midsommarafton för skärgårdens sommarboende",
                "Open on Midsummer Eve for the archipelago's summer residents",
            ),
            t("9.00"),
            t("12.00"),
        ),
        ExceptionData(
            "saarijarvi",
            nth_weekday(last_month.year, last_month.month, SAT, 1),
            Text("Markkinalauantai", "Marknadslördag", "Market Saturday"),
            t("10.00"),
            t("13.00"),
        ),
        ExceptionData(
            "viitasaari",
            nth_weekday(last_month.year, last_month.month, WED, 2),
            Text(
                "Suljettu henkilöstön koulutuksen vuoksi",
                "Stängt på grund av personalutbildning",
                "Closed for staff training",
            ),
        ),
    )
