"""The state agencies of the demo and a few of their own offices.

Municipalities are agencies too (kind ``municipal``); they are made from the service points in
:mod:`asiointi.demo.points`, one for each point's municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

from .texts import Text


@dataclass(frozen=True)
class AgencyData:
    code: str
    name: Text
    short_name: Text
    description: Text
    website: str
    #: The customer service number (national service numbers of the kind these agencies publish).
    phone: str = ""
    kind: str = "state"  # a value of asiointi.network.models.AgencyKind (kept plain: no Django here)


@dataclass(frozen=True)
class OfficeData:
    agency: str
    name: Text
    municipality: str  # municipality code
    street_address: str
    postal_code: str
    hours: Text
    offset: tuple[float, float] = (0.0, 0.0)  # from the municipality's administrative centre, degrees


STATE_AGENCIES: tuple[AgencyData, ...] = (
    AgencyData(
        code="kela",
        name=Text(
            "Kansaneläkelaitos", "Folkpensionsanstalten", "The Social Insurance Institution of Finland"
        ),
        short_name=Text("Kela", "FPA", "Kela"),
        description=Text(
            "Kela hoitaa Suomessa asuvien perusturvaa: työttömyysturvaa, asumistukea, sairausvakuutusta, "
            "lapsiperheiden etuuksia, eläkkeitä, opintotukea ja perustoimeentulotukea.",
            "FPA sköter den sociala tryggheten för personer bosatta i Finland: utkomstskydd för arbetslösa, "
            "bostadsbidrag, sjukförsäkring, barnfamiljernas förmåner, pensioner, studiestöd och grundläggande "
            "utkomststöd.",
            "Kela provides basic social security for residents of Finland: unemployment benefits, housing "
            "allowance, health insurance, family benefits, pensions, student financial aid and basic social "
            "assistance.",
        ),
        website="https://www.kela.fi",
        phone="020 692 222",
    ),
    AgencyData(
        # The state's TE offices closed at the end of 2024: since 1 January 2025 the municipalities'
        # employment areas (työllisyysalueet) organise the public employment services.
        code="tyollisyys",
        name=Text(
            "Työllisyysalueen työllisyyspalvelut",
            "Sysselsättningsområdets sysselsättningstjänster",
            "Employment services of the employment area",
        ),
        short_name=Text("Työllisyyspalvelut", "Sysselsättningstjänster", "Employment services"),
        description=Text(
            "Julkiset työvoimapalvelut työnhakijoille, yrittäjiksi aikoville ja työnantajille. Palvelut "
            "järjestää kuntien työllisyysalue.",
            "Offentlig arbetskraftsservice för arbetssökande, blivande företagare och arbetsgivare. Tjänsterna "
            "ordnas av kommunernas sysselsättningsområde.",
            "Public employment services for job seekers, future entrepreneurs and employers, organised by the "
            "municipalities' employment area.",
        ),
        website="https://tyomarkkinatori.fi",
        phone="0295 025 500",
        kind="municipal",
    ),
    AgencyData(
        code="vero",
        name=Text("Verohallinto", "Skatteförvaltningen", "Finnish Tax Administration"),
        short_name=Text("Vero", "Skatt", "Tax"),
        description=Text(
            "Verohallinto toimittaa verotuksen: verokortit, veroilmoitukset, perintö- ja lahjaverot, "
            "kiinteistöverot ja autoverot.",
            "Skatteförvaltningen verkställer beskattningen: skattekort, skattedeklarationer, arvs- och "
            "gåvoskatt, fastighetsskatt och bilskatt.",
            "The Tax Administration handles taxation: tax cards, tax returns, inheritance and gift tax, real "
            "estate tax and car tax.",
        ),
        website="https://www.vero.fi",
        phone="029 497 000",
    ),
    AgencyData(
        code="dvv",
        name=Text(
            "Digi- ja väestötietovirasto",
            "Myndigheten för digitalisering och befolkningsdata",
            "Digital and Population Data Services Agency",
        ),
        short_name=Text("DVV", "MDB", "DVV"),
        description=Text(
            "Entinen maistraatti: väestötiedot, muutot, avioliitot ja nimiasiat, edunvalvontavaltuutukset ja "
            "todistukset.",
            "Tidigare magistraten: befolkningsdata, flyttningar, äktenskap och namnärenden, "
            "intressebevakningsfullmakter och intyg.",
            "Formerly the local register offices: population data, moves, marriages and names, continuing "
            "powers of attorney and certificates.",
        ),
        website="https://dvv.fi",
        phone="0295 536 000",
    ),
    AgencyData(
        code="poliisi",
        name=Text("Poliisi – lupapalvelut", "Polisen – tillståndstjänster", "Police permit services"),
        short_name=Text("Poliisi", "Polisen", "Police"),
        description=Text(
            "Poliisin lupapalvelut: passit, henkilökortit, ajokortit, aseluvat ja löytötavarat.",
            "Polisens tillståndstjänster: pass, identitetskort, körkort, vapentillstånd och hittegods.",
            "Police permit services: passports, identity cards, driving licences, firearms licences and lost "
            "property.",
        ),
        website="https://poliisi.fi",
        phone="0295 419 800",
    ),
    AgencyData(
        code="oikeusapu",
        name=Text("Oikeusaputoimisto", "Rättshjälpsbyrån", "Public legal aid office"),
        short_name=Text("Oikeusapu", "Rättshjälp", "Legal aid"),
        description=Text(
            "Valtion oikeusaputoimistot antavat oikeusapua, talous- ja velkaneuvontaa ja yleistä edunvalvontaa.",
            "Statens rättshjälpsbyråer ger rättshjälp, ekonomi- och skuldrådgivning och allmän intressebevakning.",
            "The state legal aid offices provide legal aid, debt counselling and public guardianship services.",
        ),
        website="https://oikeus.fi/oikeusapu",
        phone="029 566 0123",
    ),
)

WEEKDAYS_9_16 = Text("ma–pe 9.00–16.00", "mån–fre 9.00–16.00", "Mon–Fri 9 am – 4 pm")
WEEKDAYS_9_1530 = Text("ma–pe 9.00–15.30", "mån–fre 9.00–15.30", "Mon–Fri 9 am – 3.30 pm")
BY_APPOINTMENT = Text(
    "ma–pe 8.00–16.15, vain ajanvarauksella",
    "mån–fre 8.00–16.15, endast med tidsbokning",
    "Mon–Fri 8 am – 4.15 pm, by appointment only",
)

OFFICES: tuple[OfficeData, ...] = (
    OfficeData(
        "kela",
        Text("Kela Jyväskylä", "FPA Jyväskylä", "Kela Jyväskylä"),
        "179",
        "Vapaudenkatu 58",
        "40100",
        WEEKDAYS_9_16,
        (0.002, 0.004),
    ),
    OfficeData(
        "kela",
        Text("Kela Seinäjoki", "FPA Seinäjoki", "Kela Seinäjoki"),
        "743",
        "Koulukatu 24",
        "60100",
        WEEKDAYS_9_16,
        (0.001, -0.003),
    ),
    OfficeData(
        "kela",
        Text("Kela Mikkeli", "FPA S:t Michel", "Kela Mikkeli"),
        "491",
        "Porrassalmenkatu 19",
        "50100",
        WEEKDAYS_9_16,
        (-0.002, 0.002),
    ),
    OfficeData(
        "kela",
        Text("Kela Oulu", "FPA Uleåborg", "Kela Oulu"),
        "564",
        "Isokatu 26",
        "90100",
        WEEKDAYS_9_16,
        (0.001, 0.003),
    ),
    OfficeData(
        "vero",
        Text("Verotoimisto Jyväskylä", "Skattebyrån i Jyväskylä", "Tax office Jyväskylä"),
        "179",
        "Kilpisenkatu 1",
        "40100",
        WEEKDAYS_9_1530,
        (-0.003, -0.002),
    ),
    OfficeData(
        "dvv",
        Text("DVV Jyväskylä", "MDB Jyväskylä", "DVV Jyväskylä"),
        "179",
        "Hannikaisenkatu 47",
        "40100",
        BY_APPOINTMENT,
        (0.004, -0.001),
    ),
    OfficeData(
        "poliisi",
        Text("Saarijärven poliisiasema", "Saarijärvi polisstation", "Saarijärvi police station"),
        "729",
        "Sumiaistentie 4",
        "43100",
        BY_APPOINTMENT,
        (0.002, 0.003),
    ),
    OfficeData(
        "poliisi",
        Text("Seinäjoen pääpoliisiasema", "Seinäjoki huvudpolisstation", "Seinäjoki main police station"),
        "743",
        "Ruukintie 5",
        "60100",
        BY_APPOINTMENT,
        (-0.004, 0.005),
    ),
    OfficeData(
        "poliisi",
        Text("Jyväskylän pääpoliisiasema", "Jyväskylä huvudpolisstation", "Jyväskylä main police station"),
        "179",
        "Urhonkatu 15",
        "40100",
        BY_APPOINTMENT,
        (0.003, 0.006),
    ),
    OfficeData(
        "tyollisyys",
        Text(
            "Jyväskylän seudun työllisyyspalvelut",
            "Jyväskyläregionens sysselsättningstjänster",
            "Jyväskylä Region Employment Services",
        ),
        "179",
        "Cygnaeuksenkatu 1",
        "40100",
        WEEKDAYS_9_16,
        (-0.001, 0.005),
    ),
)
