"""Real services of the agencies, in Finnish, Swedish and English.

Each agency's list is ordered by how often customers ask for the service at a joint service point:
the demo transactions pick services with weights falling along the list. Keywords include the
inflected and colloquial words that people type into the service finder.
"""

from __future__ import annotations

from dataclasses import dataclass

from .texts import Text


@dataclass(frozen=True)
class ServiceData:
    code: str
    name: Text
    description: Text
    keywords: Text
    minutes: int
    requires_identification: bool = False


S = ServiceData
T = Text

KELA: tuple[ServiceData, ...] = (
    S(
        "yleinen-asumistuki",
        T("Yleinen asumistuki", "Allmänt bostadsbidrag", "General housing allowance"),
        T(
            "Tukea pienituloisen ruokakunnan asumismenoihin, kuten vuokraan ja vastikkeeseen.",
            "Stöd för boendeutgifter, till exempel hyra och vederlag, för hushåll med låga inkomster.",
            "Support towards the housing costs, such as rent, of households with low incomes.",
        ),
        T(
            "asumistuki, asumistukea, vuokra, vuokraan, asuminen, asunto, vastike, tuki",
            "bostadsbidrag, hyra, boende, bostad, vederlag",
            "housing allowance, rent, housing, flat, apartment",
        ),
        20,
        True,
    ),
    S(
        "tyomarkkinatuki",
        T("Työmarkkinatuki", "Arbetsmarknadsstöd", "Labour market subsidy"),
        T(
            "Työttömän työnhakijan perusturva, jos peruspäivärahan tai ansiopäivärahan edellytykset eivät täyty.",
            "Grundtrygghet för arbetslösa arbetssökande som inte uppfyller villkoren för grund- eller "
            "inkomstrelaterad dagpenning.",
            "Basic income for unemployed job seekers who do not qualify for the basic or earnings-related "
            "unemployment allowance.",
        ),
        T(
            "työmarkkinatuki, työttömyys, työtön, työttömänä, tmt, karenssi, työttömyysturva",
            "arbetsmarknadsstöd, arbetslös, arbetslöshet, utkomstskydd",
            "labour market subsidy, unemployment benefit, unemployed, jobless",
        ),
        20,
        True,
    ),
    S(
        "peruspaivaraha",
        T("Peruspäiväraha", "Grunddagpenning", "Basic unemployment allowance"),
        T(
            "Työttömyyspäiväraha työttömälle, joka ei kuulu työttömyyskassaan mutta täyttää työssäoloehdon.",
            "Arbetslöshetsdagpenning för arbetslösa som inte hör till en arbetslöshetskassa men uppfyller "
            "arbetsvillkoret.",
            "Unemployment allowance for people who are not members of an unemployment fund but meet the "
            "employment condition.",
        ),
        T(
            "peruspäiväraha, päiväraha, työttömyyspäiväraha, työttömyys, työtön, ppr",
            "grunddagpenning, dagpenning, arbetslöshetsdagpenning, arbetslös",
            "basic unemployment allowance, unemployment benefit, daily allowance",
        ),
        20,
        True,
    ),
    S(
        "perustoimeentulotuki",
        T("Perustoimeentulotuki", "Grundläggande utkomststöd", "Basic social assistance"),
        T(
            "Viimesijainen taloudellinen tuki välttämättömiin menoihin, kun tulot ja varat eivät riitä.",
            "Ekonomiskt stöd i sista hand för nödvändiga utgifter när inkomsterna och tillgångarna inte räcker.",
            "Last-resort financial assistance for essential expenses when income and assets are not enough.",
        ),
        T(
            "toimeentulotuki, toimeentulo, toimeentulotukea, tt-tuki, sossu, rahaa ruokaan, laskut",
            "utkomststöd, ekonomiskt stöd, försörjning",
            "social assistance, income support, welfare",
        ),
        25,
        True,
    ),
    S(
        "kela-kortti",
        T("Kela-kortti", "FPA-kort", "Kela card"),
        T(
            "Kela-kortilla saat lääke- ja sairaanhoitokorvaukset suoraan apteekissa ja yksityisellä lääkärillä.",
            "Med FPA-kortet får du ersättning för läkemedel och sjukvård direkt på apoteket och hos privatläkare.",
            "With the Kela card you get reimbursements for medicines and medical care directly at the pharmacy "
            "and the private doctor.",
        ),
        T(
            "kela-kortti, kelakortti, kortti kadonnut, uusi kortti, sairausvakuutuskortti",
            "fpa-kort, sjukförsäkringskort, nytt kort, förlorat kort",
            "kela card, health insurance card, lost card, new card",
        ),
        10,
        True,
    ),
    S(
        "sairauspaivaraha",
        T("Sairauspäiväraha", "Sjukdagpenning", "Sickness allowance"),
        T(
            "Korvaa ansionmenetystä, kun olet sairauden vuoksi kykenemätön tekemään työtäsi.",
            "Ersätter inkomstbortfall när du på grund av sjukdom är oförmögen att utföra ditt arbete.",
            "Compensates for lost income when you are unable to work because of an illness.",
        ),
        T(
            "sairauspäiväraha, sairasloma, sairaana, sairastunut, sairaus, lääkärintodistus",
            "sjukdagpenning, sjukledighet, sjuk, läkarintyg",
            "sickness allowance, sick leave, ill, medical certificate",
        ),
        20,
        True,
    ),
    S(
        "lapsilisa",
        T("Lapsilisä", "Barnbidrag", "Child benefit"),
        T(
            "Kela maksaa lapsilisää jokaisesta Suomessa asuvasta alle 17-vuotiaasta lapsesta.",
            "FPA betalar barnbidrag för varje barn under 17 år som bor i Finland.",
            "Kela pays child benefit for every child under 17 living in Finland.",
        ),
        T(
            "lapsilisä, lapsilisää, lapsi, lapset, perhe, yksinhuoltajakorotus",
            "barnbidrag, barn, familj, ensamförsörjartillägg",
            "child benefit, children, family, single parent supplement",
        ),
        15,
        True,
    ),
    S(
        "vanhempainpaivarahat",
        T("Vanhempainpäivärahat", "Föräldradagpenningar", "Parental allowances"),
        T(
            "Raskausraha ja vanhempainraha korvaavat ansionmenetystä raskauden ja lapsen hoidon aikana.",
            "Graviditetspenning och föräldrapenning ersätter inkomstbortfall under graviditeten och när man "
            "sköter sitt barn.",
            "Pregnancy allowance and parental allowance compensate for lost income during pregnancy and while "
            "caring for a child.",
        ),
        T(
            "vanhempainraha, vanhempainvapaa, äitiysvapaa, isyysvapaa, raskausraha, äitiysraha",
            "föräldrapenning, föräldraledighet, moderskapsledighet, graviditetspenning",
            "parental allowance, parental leave, maternity leave, paternity leave, pregnancy allowance",
        ),
        25,
        True,
    ),
    S(
        "kansanelake",
        T("Kansaneläke", "Folkpension", "National pension"),
        T(
            "Kansaneläke turvaa toimeentuloa, jos työeläke on pieni tai sitä ei ole lainkaan.",
            "Folkpensionen tryggar utkomsten om arbetspensionen är liten eller saknas helt.",
            "The national pension secures an income if your earnings-related pension is small or you have none.",
        ),
        T(
            "kansaneläke, eläke, eläkkeelle, vanhuuseläke, työkyvyttömyyseläke, eläkehakemus",
            "folkpension, pension, ålderspension, sjukpension",
            "national pension, pension, retirement, old-age pension, disability pension",
        ),
        25,
        True,
    ),
    S(
        "opintotuki",
        T("Opintotuki", "Studiestöd", "Student financial aid"),
        T(
            "Opintoraha, opintolainan valtiontakaus ja asumistuki toisen asteen ja korkeakouluopiskelijoille.",
            "Studiepenning, statsborgen för studielån och bostadstillägg för studerande på andra stadiet och i "
            "högskolor.",
            "Study grant, government guarantee for a student loan and housing supplement for upper secondary "
            "and higher education students.",
        ),
        T(
            "opintotuki, opintoraha, opintolaina, opiskelija, opiskelu, opiskelijan asumistuki",
            "studiestöd, studiepenning, studielån, studerande",
            "student financial aid, study grant, student loan, student",
        ),
        20,
        True,
    ),
    S(
        "sairaanhoitokorvaukset",
        T("Sairaanhoitokorvaukset", "Sjukvårdsersättningar", "Reimbursement of medical expenses"),
        T(
            "Korvaus yksityislääkärin, hammaslääkärin ja tutkimusten kuluista.",
            "Ersättning för kostnader för privatläkare, tandläkare och undersökningar.",
            "Reimbursement of the costs of private doctors, dentists and examinations.",
        ),
        T(
            "sairaanhoitokorvaus, lääkärikulut, hammaslääkäri, korvaus, kuitit, yksityislääkäri",
            "sjukvårdsersättning, läkarkostnader, tandläkare, ersättning, kvitton",
            "reimbursement, medical expenses, doctor, dentist, receipts",
        ),
        15,
        True,
    ),
    S(
        "laakekorvaukset",
        T("Lääkekorvaukset", "Läkemedelsersättningar", "Reimbursement of medicine expenses"),
        T(
            "Korvaus reseptilääkkeistä, erityiskorvausoikeudet ja lääkekaton jälkeinen lisäkorvaus.",
            "Ersättning för receptbelagda läkemedel, rätt till specialersättning och tilläggsersättning efter "
            "läkemedelstaket.",
            "Reimbursement of prescription medicines, special reimbursement rights and the additional "
            "reimbursement above the annual ceiling.",
        ),
        T(
            "lääkekorvaus, lääkkeet, resepti, lääkekatto, apteekki, erityiskorvaus",
            "läkemedelsersättning, läkemedel, recept, läkemedelstak, apotek",
            "medicine reimbursement, medicines, prescription, pharmacy, annual ceiling",
        ),
        15,
        True,
    ),
    S(
        "matkakorvaukset",
        T("Matkakorvaukset", "Reseersättningar", "Reimbursement of travel expenses"),
        T(
            "Korvaus sairauden tai kuntoutuksen vuoksi tehdyistä matkoista, myös Kela-taksilla.",
            "Ersättning för resor som görs på grund av sjukdom eller rehabilitering, även med FPA-taxi.",
            "Reimbursement for trips made because of an illness or rehabilitation, also by Kela taxi.",
        ),
        T(
            "matkakorvaus, kelataksi, kela-taksi, taksi, matkat, omavastuu",
            "reseersättning, fpa-taxi, taxi, resor, självrisk",
            "travel reimbursement, kela taxi, taxi, trips",
        ),
        15,
        True,
    ),
    S(
        "elakkeensaajan-asumistuki",
        T(
            "Eläkkeensaajan asumistuki",
            "Bostadsbidrag för pensionstagare",
            "Housing allowance for pensioners",
        ),
        T(
            "Tukea pienituloisen eläkkeensaajan asumismenoihin.",
            "Stöd för boendeutgifterna för pensionstagare med låga inkomster.",
            "Support towards the housing costs of pensioners with low incomes.",
        ),
        T(
            "eläkkeensaajan asumistuki, asumistuki, eläkeläinen, vuokra, asuminen",
            "bostadsbidrag för pensionstagare, pensionär, hyra",
            "pensioners' housing allowance, pensioner, rent",
        ),
        20,
        True,
    ),
    S(
        "kuntoutus",
        T("Kelan kuntoutus", "FPA:s rehabilitering", "Rehabilitation"),
        T(
            "Ammatillinen ja lääkinnällinen kuntoutus, kuntoutuspsykoterapia ja kuntoutusraha.",
            "Yrkesinriktad och medicinsk rehabilitering, rehabiliteringspsykoterapi och rehabiliteringspenning.",
            "Vocational and medical rehabilitation, rehabilitative psychotherapy and rehabilitation allowance.",
        ),
        T(
            "kuntoutus, kuntoutusraha, psykoterapia, terapia, kuntoutuskurssi, ammatillinen kuntoutus",
            "rehabilitering, rehabiliteringspenning, psykoterapi, terapi",
            "rehabilitation, rehabilitation allowance, psychotherapy, therapy",
        ),
        30,
        True,
    ),
    S(
        "vammaistuki",
        T("Vammaisetuudet", "Handikappförmåner", "Disability allowances"),
        T(
            "Vammaistuki lapselle ja aikuiselle sekä eläkettä saavan hoitotuki.",
            "Handikappbidrag för barn och vuxna samt vårdbidrag för pensionstagare.",
            "Disability allowance for children and adults and care allowance for pensioners.",
        ),
        T(
            "vammaistuki, hoitotuki, vammainen, vamma, pitkäaikaissairaus, eläkkeensaajan hoitotuki",
            "handikappbidrag, vårdbidrag, funktionsnedsättning, långtidssjukdom",
            "disability allowance, care allowance, disability, chronic illness",
        ),
        25,
        True,
    ),
    S(
        "takuuelake",
        T("Takuueläke", "Garantipension", "Guarantee pension"),
        T(
            "Takaa vähimmäiseläkkeen, jos kaikki muut eläkkeet yhteensä jäävät sitä pienemmiksi.",
            "Garanterar en minimipension om alla andra pensioner sammanlagt är mindre.",
            "Guarantees a minimum pension if all your other pensions together are below it.",
        ),
        T(
            "takuueläke, eläke, pieni eläke, vähimmäiseläke",
            "garantipension, pension, minimipension",
            "guarantee pension, minimum pension, pension",
        ),
        20,
        True,
    ),
    S(
        "kotihoidon-tuki",
        T("Lasten kotihoidon tuki", "Stöd för hemvård av barn", "Child home care allowance"),
        T(
            "Tuki perheelle, joka hoitaa alle 3-vuotiasta lastaan kotona.",
            "Stöd för familjer som sköter sitt barn under 3 år hemma.",
            "Support for families who care for a child under 3 at home.",
        ),
        T(
            "kotihoidon tuki, kotihoidontuki, khtu, lapsi kotona, hoitovapaa",
            "stöd för hemvård, hemvårdsstöd, vårdledighet",
            "child home care allowance, childcare leave, care at home",
        ),
        20,
        True,
    ),
    S(
        "elatustuki",
        T("Elatustuki", "Underhållsstöd", "Child maintenance allowance"),
        T(
            "Kela turvaa lapsen elatuksen, jos elatusvelvollinen ei maksa elatusapua.",
            "FPA tryggar barnets underhåll om den underhållsskyldiga inte betalar underhållsbidrag.",
            "Kela secures a child's maintenance if the parent liable to pay maintenance does not pay.",
        ),
        T(
            "elatustuki, elatusapu, elarit, ero, yksinhuoltaja",
            "underhållsstöd, underhållsbidrag, skilsmässa, ensamförsörjare",
            "maintenance allowance, child support, divorce, single parent",
        ),
        20,
        True,
    ),
    S(
        "aitiyspakkaus",
        T(
            "Äitiysavustus ja äitiyspakkaus",
            "Moderskapsunderstöd och moderskapsförpackning",
            "Maternity grant and maternity package",
        ),
        T(
            "Äitiysavustuksena voi valita äitiyspakkauksen tai rahasumman.",
            "Som moderskapsunderstöd kan man välja moderskapsförpackningen eller ett penningbelopp.",
            "As the maternity grant you can choose the maternity package or a cash payment.",
        ),
        T(
            "äitiyspakkaus, äitiysavustus, vauvapakkaus, raskaus, vauva",
            "moderskapsförpackning, moderskapsunderstöd, babylåda, graviditet",
            "maternity package, baby box, maternity grant, pregnancy",
        ),
        10,
        True,
    ),
    S(
        "eurooppalainen-sairaanhoitokortti",
        T("Eurooppalainen sairaanhoitokortti", "Europeiskt sjukvårdskort", "European Health Insurance Card"),
        T(
            "Maksuton kortti, jolla saat välttämätöntä hoitoa EU- ja ETA-maissa, Sveitsissä ja Britanniassa.",
            "Ett avgiftsfritt kort som ger dig nödvändig vård i EU- och EES-länderna, Schweiz och Storbritannien.",
            "A free card that gives you necessary care in the EU and EEA countries, Switzerland and the UK.",
        ),
        T(
            "eurooppalainen sairaanhoitokortti, eu-kortti, matkustus, ulkomaat, lomamatka",
            "europeiskt sjukvårdskort, eu-kort, resa, utlandet",
            "european health insurance card, ehic, travel abroad",
        ),
        10,
        True,
    ),
    S(
        "muutto-suomeen",
        T(
            "Kelan turva Suomeen muutettaessa",
            "Social trygghet vid flytt till Finland",
            "Social security when moving to Finland",
        ),
        T(
            "Selvitys siitä, kuulutko Suomen sosiaaliturvaan, kun muutat Suomeen tai työskentelet täällä.",
            "Utredning om du omfattas av den sociala tryggheten i Finland när du flyttar hit eller arbetar här.",
            "Finding out whether you are covered by Finnish social security when you move to or work in Finland.",
        ),
        T(
            "muutto suomeen, sosiaaliturva, ulkomaalainen, maahanmuuttaja, vakuutettu",
            "flytt till finland, social trygghet, invandrare, försäkrad",
            "moving to finland, social security coverage, immigrant, insured",
        ),
        30,
        True,
    ),
)

VERO: tuple[ServiceData, ...] = (
    S(
        "verokortti",
        T("Verokortti", "Skattekort", "Tax card"),
        T(
            "Uusi tai muutettu verokortti palkalle, eläkkeelle tai etuuksille, myös sivutuloille.",
            "Nytt eller ändrat skattekort för lön, pension eller förmåner, även för bisysslor.",
            "A new or revised tax card for wages, pensions or benefits, also for secondary income.",
        ),
        T(
            "verokortti, verokorttia, muutosverokortti, veroprosentti, pidätysprosentti, sivutulo",
            "skattekort, ändringsskattekort, skatteprocent, innehållningsprocent",
            "tax card, revised tax card, withholding rate, tax rate",
        ),
        15,
        True,
    ),
    S(
        "esitaytetty-veroilmoitus",
        T("Esitäytetty veroilmoitus", "Förhandsifylld skattedeklaration", "Pre-completed tax return"),
        T(
            "Veroilmoituksen tarkistaminen ja korjaaminen keväällä, verkossa tai paperilla.",
            "Granskning och rättelse av skattedeklarationen på våren, på nätet eller på papper.",
            "Checking and correcting the tax return in the spring, online or on paper.",
        ),
        T(
            "veroilmoitus, veroilmoituksen korjaus, veroehdotus, vähennykset, korjaa veroilmoitus",
            "skattedeklaration, rättelse, skatteförslag, avdrag",
            "tax return, correcting the tax return, deductions",
        ),
        20,
        True,
    ),
    S(
        "verotuspaatos-ja-palautus",
        T(
            "Verotuspäätös ja veronpalautus",
            "Beskattningsbeslut och skatteåterbäring",
            "Tax decision and tax refund",
        ),
        T(
            "Verotuspäätöksen tiedot, veronpalautusten maksupäivät ja tilinumeron ilmoittaminen.",
            "Uppgifter om beskattningsbeslutet, utbetalningsdagar för skatteåterbäringar och anmälan av "
            "kontonummer.",
            "The tax decision, payment dates of tax refunds and giving your bank account number.",
        ),
        T(
            "veronpalautus, veronpalautukset, palautus, verotuspäätös, tilinumero",
            "skatteåterbäring, återbäring, beskattningsbeslut, kontonummer",
            "tax refund, refund, tax decision, bank account",
        ),
        10,
    ),
    S(
        "jaannosvero",
        T(
            "Jäännösvero ja verojen maksaminen",
            "Kvarskatt och betalning av skatter",
            "Residual tax and paying taxes",
        ),
        T(
            "Jäännösveron eräpäivät, viitenumerot ja maksaminen.",
            "Förfallodagar, referensnummer och betalning av kvarskatt.",
            "Due dates, reference numbers and paying residual tax.",
        ),
        T(
            "jäännösvero, mätkyt, maksaminen, viitenumero, eräpäivä, lisävero",
            "kvarskatt, betalning, referensnummer, förfallodag",
            "residual tax, back tax, payment, reference number, due date",
        ),
        10,
    ),
    S(
        "kotitalousvahennys",
        T("Kotitalousvähennys", "Hushållsavdrag", "Tax credit for household expenses"),
        T(
            "Vähennys kotiin ostetusta työstä, kuten remontista, siivouksesta ja hoivasta.",
            "Avdrag för arbete som köpts till hemmet, till exempel renovering, städning och omsorg.",
            "A credit for work bought for your home, such as renovation, cleaning and care.",
        ),
        T(
            "kotitalousvähennys, remontti, siivous, kotiapu, vähennys, kotitalousvähennystä",
            "hushållsavdrag, renovering, städning, hemhjälp",
            "household expenses credit, renovation, cleaning, home help",
        ),
        15,
    ),
    S(
        "perintovero",
        T("Perintövero ja perukirja", "Arvsskatt och bouppteckning", "Inheritance tax and estate inventory"),
        T(
            "Perukirjan toimittaminen Verohallintoon ja perintöveron määrääminen.",
            "Inlämnande av bouppteckningen till Skatteförvaltningen och påförande av arvsskatt.",
            "Submitting the estate inventory to the Tax Administration and the assessment of inheritance tax.",
        ),
        T(
            "perintövero, perintö, perukirja, kuolinpesä, perunkirjoitus",
            "arvsskatt, arv, bouppteckning, dödsbo",
            "inheritance tax, inheritance, estate inventory, estate",
        ),
        25,
        True,
    ),
    S(
        "lahjavero",
        T("Lahjavero", "Gåvoskatt", "Gift tax"),
        T(
            "Lahjaveroilmoitus, kun saat lahjan, jonka arvo on vähintään verotettavan määrän.",
            "Gåvoskattedeklaration när du får en gåva vars värde är minst det skattepliktiga beloppet.",
            "The gift tax return when you receive a gift worth at least the taxable amount.",
        ),
        T(
            "lahjavero, lahja, lahjaveroilmoitus, lahjakirja, ennakkoperintö",
            "gåvoskatt, gåva, gåvobrev, förskott på arv",
            "gift tax, gift, deed of gift, advance on inheritance",
        ),
        20,
        True,
    ),
    S(
        "kiinteistovero",
        T("Kiinteistövero", "Fastighetsskatt", "Real estate tax"),
        T(
            "Kiinteistöverolaskun ja rakennustietojen tarkistaminen ja korjaaminen.",
            "Granskning och rättelse av fastighetsskattebeslutet och byggnadsuppgifterna.",
            "Checking and correcting the real estate tax decision and the building details.",
        ),
        T(
            "kiinteistövero, kiinteistöverolasku, mökki, kesämökki, tontti, rakennus",
            "fastighetsskatt, stuga, sommarstuga, tomt, byggnad",
            "real estate tax, property tax, summer cottage, plot, building",
        ),
        15,
    ),
    S(
        "autovero",
        T("Autovero", "Bilskatt", "Car tax"),
        T(
            "Autovero ulkomailta tuodusta ajoneuvosta ja autoveron palautus maastavienneissä.",
            "Bilskatt för fordon som förs in från utlandet och återbäring av bilskatt vid export.",
            "Car tax on a vehicle brought from abroad and the car tax refund on export.",
        ),
        T(
            "autovero, tuontiauto, auton tuonti, ajoneuvo, auto ulkomailta",
            "bilskatt, importbil, fordon",
            "car tax, imported car, vehicle import",
        ),
        25,
        True,
    ),
    S(
        "veronumero",
        T("Veronumero", "Skattenummer", "Tax number"),
        T(
            "Rakennustyömaalla työskentelevän veronumero ja sen merkitseminen henkilökorttiin.",
            "Skattenummer för den som arbetar på en byggarbetsplats och hur det antecknas på id-kortet.",
            "The tax number of people working on construction sites and how it is shown on the ID card.",
        ),
        T(
            "veronumero, rakennustyömaa, työmaa, kulkulupa",
            "skattenummer, byggarbetsplats",
            "tax number, construction site",
        ),
        10,
        True,
    ),
    S(
        "asuinvaltiotodistus",
        T("Asuinvaltiotodistus", "Intyg över hemviststat", "Certificate of residence"),
        T(
            "Todistus siitä, että olet Suomessa yleisesti verovelvollinen, ulkomaista veroviranomaista varten.",
            "Intyg över att du är allmänt skattskyldig i Finland, för en utländsk skattemyndighet.",
            "A certificate, for a foreign tax authority, that you are a resident taxpayer in Finland.",
        ),
        T(
            "asuinvaltiotodistus, residence certificate, ulkomaan tulot, verosopimus",
            "intyg över hemviststat, hemvist, skatteavtal",
            "certificate of residence, tax residency, tax treaty",
        ),
        10,
        True,
    ),
    S(
        "verovelkatodistus",
        T("Verovelkatodistus", "Skatteskuldsintyg", "Tax debt certificate"),
        T(
            "Todistus veroveloista tai verovelattomuudesta esimerkiksi tarjouskilpailua tai vuokrasopimusta varten.",
            "Intyg över skatteskulder eller skuldfrihet, till exempel för en anbudstävling eller ett hyresavtal.",
            "A certificate of tax debts or their absence, for a call for tenders or a lease, for example.",
        ),
        T(
            "verovelkatodistus, verovelka, todistus, verovelaton",
            "skatteskuldsintyg, skatteskuld, intyg",
            "tax debt certificate, tax debt, certificate",
        ),
        10,
        True,
    ),
    S(
        "maksujarjestely",
        T("Verojen maksujärjestely", "Betalningsarrangemang för skatter", "Payment plan for taxes"),
        T(
            "Maksusuunnitelma, jos et pysty maksamaan veroja kerralla eräpäivään mennessä.",
            "En betalningsplan om du inte kan betala skatterna på en gång senast på förfallodagen.",
            "A payment plan if you cannot pay your taxes in one go by the due date.",
        ),
        T(
            "maksujärjestely, maksusuunnitelma, verovelka, erissä, maksuaika",
            "betalningsarrangemang, betalningsplan, skatteskuld, avbetalning",
            "payment plan, instalments, tax debt",
        ),
        15,
        True,
    ),
    S(
        "ennakkovero",
        T("Ennakkovero", "Förskottsskatt", "Tax prepayments"),
        T(
            "Ennakkoveron määrääminen ja muuttaminen yrittäjälle, vuokratuloista tai pääomatuloista.",
            "Påförande och ändring av förskottsskatt för företagare, hyresinkomster eller kapitalinkomster.",
            "Setting and changing prepayments for entrepreneurs and on rental or capital income.",
        ),
        T(
            "ennakkovero, ennakkoveroa, yrittäjä, vuokratulot, pääomatulot",
            "förskottsskatt, företagare, hyresinkomster, kapitalinkomster",
            "tax prepayment, entrepreneur, rental income, capital income",
        ),
        15,
        True,
    ),
    S(
        "ennakkoperintarekisteri",
        T("Ennakkoperintärekisteri", "Förskottsuppbördsregistret", "Prepayment register"),
        T(
            "Rekisteröityminen yrittäjänä ennakkoperintärekisteriin ja arvonlisäverovelvollisten rekisteriin.",
            "Registrering som företagare i förskottsuppbördsregistret och registret över momsskyldiga.",
            "Registering as an entrepreneur in the prepayment register and the VAT register.",
        ),
        T(
            "ennakkoperintärekisteri, alv, arvonlisävero, y-tunnus, toiminimi, yritys",
            "förskottsuppbördsregistret, moms, fo-nummer, firma",
            "prepayment register, vat, business id, sole trader",
        ),
        20,
    ),
    S(
        "omavero",
        T("OmaVero-palvelun käyttö", "Användning av MinSkatt", "Using MyTax"),
        T(
            "Opastus OmaVeroon kirjautumiseen, viestien lukemiseen ja ilmoitusten tekemiseen verkossa.",
            "Handledning i att logga in på MinSkatt, läsa meddelanden och lämna uppgifter på nätet.",
            "Guidance on signing in to MyTax, reading messages and filing online.",
        ),
        T(
            "omavero, vero.fi, kirjautuminen, verkkopalvelu, pankkitunnukset",
            "minskatt, inloggning, e-tjänst, bankkoder",
            "mytax, sign in, online service, bank credentials",
        ),
        15,
    ),
    S(
        "varainsiirtovero",
        T("Varainsiirtovero", "Överlåtelseskatt", "Transfer tax"),
        T(
            "Varainsiirtovero asunto-osakkeen tai kiinteistön kaupasta ja ensiasunnon ostajan asema.",
            "Överlåtelseskatt vid köp av bostadsaktier eller fastighet och ställningen som förstagångsköpare.",
            "Transfer tax on buying housing shares or real estate, and first-time buyers.",
        ),
        T(
            "varainsiirtovero, asuntokauppa, kiinteistökauppa, ensiasunto",
            "överlåtelseskatt, bostadsköp, fastighetsköp",
            "transfer tax, buying a home, property purchase",
        ),
        15,
        True,
    ),
    S(
        "matkakulujen-vahennys",
        T("Matkakulujen vähennys", "Avdrag för resekostnader", "Deduction for travel expenses"),
        T(
            "Asunnon ja työpaikan välisten matkojen kulujen vähentäminen verotuksessa.",
            "Avdrag i beskattningen för resor mellan bostaden och arbetsplatsen.",
            "Deducting the costs of travel between home and work in taxation.",
        ),
        T(
            "matkakulut, työmatkat, matkakulujen vähennys, vähennys",
            "resekostnader, arbetsresor, avdrag",
            "travel expenses, commuting, deduction",
        ),
        10,
    ),
    S(
        "muutto-suomeen-verotus",
        T(
            "Verotus Suomeen muutettaessa",
            "Beskattning vid flytt till Finland",
            "Taxation when moving to Finland",
        ),
        T(
            "Verokortti ja verotus ulkomailta Suomeen muuttavalle tai tänne töihin tulevalle.",
            "Skattekort och beskattning för den som flyttar till Finland eller kommer hit för att arbeta.",
            "Tax card and taxation for people moving to Finland or coming here to work.",
        ),
        T(
            "ulkomaalainen, lähdeverokortti, muutto suomeen, verotus",
            "utlänning, källskattekort, flytt till finland",
            "foreigner, tax at source, moving to finland, taxation",
        ),
        25,
        True,
    ),
)

DVV: tuple[ServiceData, ...] = (
    S(
        "muuttoilmoitus",
        T("Muuttoilmoitus", "Flyttningsanmälan", "Notice of move"),
        T(
            "Ilmoita muutostasi Digi- ja väestötietovirastolle ja Postille yhdellä kertaa.",
            "Anmäl din flytt till Myndigheten för digitalisering och befolkningsdata och Posten på en gång.",
            "Give notice of your move to the Digital and Population Data Services Agency and Posti at once.",
        ),
        T(
            "muuttoilmoitus, muutto, muuttaa, osoitteenmuutos, uusi osoite, osoite",
            "flyttningsanmälan, flytt, adressändring, ny adress",
            "notice of move, moving, change of address, new address",
        ),
        10,
    ),
    S(
        "todistukset-ja-otteet",
        T("Virkatodistukset ja otteet", "Ämbetsbetyg och utdrag", "Certificates and extracts"),
        T(
            "Virkatodistus ja muut todistukset väestötietojärjestelmästä, myös ulkomaille kansainvälisenä versiona.",
            "Ämbetsbetyg och andra intyg ur befolkningsdatasystemet, även i internationell version för utlandet.",
            "Extracts and certificates from the Population Information System, also in an international version "
            "for use abroad.",
        ),
        T(
            "virkatodistus, todistus, ote, sukuselvitys, väestörekisteriote",
            "ämbetsbetyg, intyg, utdrag, släktutredning",
            "extract, certificate, population register extract, family history",
        ),
        10,
        True,
    ),
    S(
        "avioliiton-esteiden-tutkinta",
        T("Avioliiton esteiden tutkinta", "Hindersprövning", "Examination of impediments to marriage"),
        T(
            "Ennen vihkimistä tutkitaan, ettei avioliitolle ole esteitä. Pyyntö tehdään verkossa tai lomakkeella.",
            "Före vigseln prövas att det inte finns hinder för äktenskapet. Begäran görs på nätet eller med "
            "blankett.",
            "Before the wedding, the agency examines that there are no impediments to the marriage. The request is "
            "made online or on a form.",
        ),
        T(
            "esteiden tutkinta, häät, naimisiin, avioliitto, vihkiminen, kuulutukset",
            "hindersprövning, bröllop, gifta sig, äktenskap, vigsel",
            "impediments to marriage, wedding, getting married, marriage",
        ),
        15,
        True,
    ),
    S(
        "siviilivihkiminen",
        T("Siviilivihkiminen", "Civilvigsel", "Civil marriage ceremony"),
        T(
            "Vihkiminen Digi- ja väestötietoviraston vihkijän toimesta virka-aikana ajanvarauksella.",
            "Vigsel av en vigselförrättare vid Myndigheten för digitalisering och befolkningsdata under "
            "tjänstetid och med tidsbokning.",
            "A wedding by a registrar of the Digital and Population Data Services Agency during office hours, by "
            "appointment.",
        ),
        T(
            "siviilivihkiminen, vihkiminen, maistraatti, häät, naimisiin",
            "civilvigsel, vigsel, magistraten, bröllop",
            "civil marriage, civil wedding, registry office wedding",
        ),
        30,
        True,
    ),
    S(
        "nimenmuutos",
        T("Nimenmuutos", "Namnändring", "Change of name"),
        T(
            "Etu- tai sukunimen muuttaminen, myös avioliiton yhteydessä.",
            "Ändring av förnamn eller efternamn, också i samband med äktenskap.",
            "Changing your first name or surname, also when marrying.",
        ),
        T(
            "nimenmuutos, sukunimi, etunimi, nimi, nimen vaihto",
            "namnändring, efternamn, förnamn, namn",
            "change of name, surname, first name, name",
        ),
        15,
        True,
    ),
    S(
        "edunvalvontavaltuutus",
        T(
            "Edunvalvontavaltuutuksen vahvistaminen",
            "Fastställande av intressebevakningsfullmakt",
            "Confirmation of a continuing power of attorney",
        ),
        T(
            "Edunvalvontavaltakirjan vahvistaminen, kun valtuuttaja ei enää pysty hoitamaan asioitaan.",
            "Fastställande av intressebevakningsfullmakten när fullmaktsgivaren inte längre kan sköta sina "
            "angelägenheter.",
            "Confirming a continuing power of attorney when the grantor can no longer manage their affairs.",
        ),
        T(
            "edunvalvontavaltuutus, edunvalvontavaltakirja, valtakirja, muistisairaus, omaisen asiat",
            "intressebevakningsfullmakt, fullmakt, minnessjukdom",
            "continuing power of attorney, power of attorney, dementia",
        ),
        30,
        True,
    ),
    S(
        "edunvalvonnan-tarve",
        T(
            "Ilmoitus edunvalvonnan tarpeesta",
            "Anmälan om behov av intressebevakning",
            "Notification of a need for guardianship",
        ),
        T(
            "Ilmoitus henkilöstä, joka ei pysty itse huolehtimaan taloudestaan ja tarvitsee edunvalvojan.",
            "Anmälan om en person som inte själv kan sköta sin ekonomi och behöver en intressebevakare.",
            "Notifying the agency of a person who cannot manage their finances and needs a guardian.",
        ),
        T(
            "edunvalvonta, edunvalvoja, holhous, holhoustoimi",
            "intressebevakning, intressebevakare, förmyndarverksamhet",
            "guardianship, guardian, trustee",
        ),
        25,
        True,
    ),
    S(
        "ulkomaalaisen-rekisterointi",
        T("Ulkomaalaisen rekisteröinti", "Registrering av utlänning", "Registering a foreigner"),
        T(
            "Ulkomaalaisen tietojen rekisteröinti väestötietojärjestelmään ja henkilötunnuksen saaminen.",
            "Registrering av en utlännings uppgifter i befolkningsdatasystemet och att få personbeteckning.",
            "Registering a foreigner's details in the Population Information System and getting a personal "
            "identity code.",
        ),
        T(
            "ulkomaalaisen rekisteröinti, henkilötunnus, hetu, rekisteröinti, kotikunta",
            "registrering av utlänning, personbeteckning, hemkommun",
            "registration of a foreigner, personal identity code, municipality of residence",
        ),
        30,
        True,
    ),
    S(
        "avioehtosopimus",
        T(
            "Avioehtosopimuksen rekisteröinti",
            "Registrering av äktenskapsförord",
            "Registering a prenuptial agreement",
        ),
        T(
            "Avioehtosopimus tulee voimaan, kun Digi- ja väestötietovirasto rekisteröi sen.",
            "Äktenskapsförordet blir gällande när Myndigheten för digitalisering och befolkningsdata registrerar "
            "det.",
            "A prenuptial agreement takes effect when the agency registers it.",
        ),
        T(
            "avioehto, avioehtosopimus, ositus, omaisuus",
            "äktenskapsförord, avvittring, egendom",
            "prenuptial agreement, marriage settlement, property",
        ),
        15,
        True,
    ),
    S(
        "testamentin-sailytys",
        T("Testamentin säilytys", "Förvaring av testamente", "Deposit of a will"),
        T(
            "Neuvonta testamentin tekemisestä ja sen säilyttämisestä luotettavassa paikassa.",
            "Rådgivning om att göra ett testamente och förvara det på ett tryggt ställe.",
            "Advice on making a will and keeping it in a safe place.",
        ),
        T(
            "testamentti, testamentin säilytys, jälkisäädös, perintö",
            "testamente, förvaring av testamente, arv",
            "will, testament, deposit of a will, inheritance",
        ),
        20,
        True,
    ),
    S(
        "isyyden-tunnustaminen",
        T(
            "Isyyden ja äitiyden tunnustaminen",
            "Erkännande av faderskap och moderskap",
            "Acknowledgement of paternity and maternity",
        ),
        T(
            "Vanhemmuuden tunnustaminen ja sen vahvistaminen, kun vanhemmat eivät ole naimisissa.",
            "Erkännande och fastställande av föräldraskap när föräldrarna inte är gifta.",
            "Acknowledging and confirming parenthood when the parents are not married.",
        ),
        T(
            "isyys, isyyden tunnustaminen, äitiys, vanhemmuus, neuvola",
            "faderskap, erkännande av faderskap, moderskap, föräldraskap",
            "paternity, acknowledgement of paternity, maternity, parenthood",
        ),
        20,
        True,
    ),
    S(
        "rekisteroity-parisuhde",
        T(
            "Rekisteröidyn parisuhteen muuttaminen avioliitoksi",
            "Ombildning av registrerat partnerskap till äktenskap",
            "Converting a registered partnership into a marriage",
        ),
        T(
            "Rekisteröity parisuhde muutetaan avioliitoksi yhteisellä ilmoituksella.",
            "Ett registrerat partnerskap ombildas till äktenskap genom en gemensam anmälan.",
            "A registered partnership is converted into a marriage by a joint notification.",
        ),
        T(
            "rekisteröity parisuhde, parisuhde, avioliitto, muuttaminen",
            "registrerat partnerskap, äktenskap, ombildning",
            "registered partnership, marriage, conversion",
        ),
        15,
        True,
    ),
    S(
        "suomi-fi-valtuudet",
        T("Suomi.fi-valtuudet", "Suomi.fi-fullmakter", "Suomi.fi e-Authorizations"),
        T(
            "Valtuutus toisen henkilön puolesta asiointiin, myös paikan päällä haettuna.",
            "Fullmakt att uträtta ärenden för en annan person, också ansökt på plats.",
            "Authorising someone to act on your behalf, also applied for in person.",
        ),
        T(
            "valtuudet, valtuutus, suomi.fi, puolesta asiointi, valtakirja",
            "fullmakter, fullmakt, suomi.fi, uträtta ärenden för någon",
            "e-authorizations, mandate, act on behalf, suomi.fi",
        ),
        20,
        True,
    ),
    S(
        "turvakielto",
        T(
            "Turvakielto ja luovutuskiellot",
            "Spärrmarkering och utlämningsförbud",
            "Non-disclosure for personal safety and data release bans",
        ),
        T(
            "Osoitetietojen suojaaminen turvakiellolla ja tietojen luovutuksen kieltäminen.",
            "Skydd av adressuppgifterna med spärrmarkering och förbud mot utlämnande av uppgifter.",
            "Protecting your address with a non-disclosure order and banning the release of your data.",
        ),
        T(
            "turvakielto, luovutuskielto, suoramarkkinointi, osoitetiedot, suojaus",
            "spärrmarkering, utlämningsförbud, direktmarknadsföring",
            "non-disclosure, data release ban, direct marketing, address protection",
        ),
        15,
        True,
    ),
    S(
        "kansalaisvarmenne",
        T(
            "Kansalaisvarmenteen tunnusluvut",
            "PIN-koder för medborgarcertifikat",
            "Citizen certificate PIN codes",
        ),
        T(
            "Henkilökortin kansalaisvarmenteen PIN- ja PUK-koodit, lukitun varmenteen avaaminen ja kortinlukija.",
            "PIN- och PUK-koder för medborgarcertifikatet på id-kortet, upplåsning och kortläsare.",
            "The PIN and PUK codes of the citizen certificate on the ID card, unlocking it and card readers.",
        ),
        T(
            "kansalaisvarmenne, pin, puk, tunnusluku, kortinlukija, varmennekortti",
            "medborgarcertifikat, pin-kod, puk-kod, kortläsare",
            "citizen certificate, pin, puk, card reader",
        ),
        15,
        True,
    ),
    S(
        "kirkosta-eroaminen",
        T(
            "Uskonnollisesta yhdyskunnasta eroaminen",
            "Utträde ur religionssamfund",
            "Leaving a religious community",
        ),
        T(
            "Eroilmoituksen voi tehdä verkossa tai kirjallisesti Digi- ja väestötietovirastolle.",
            "Anmälan om utträde kan göras på nätet eller skriftligt till Myndigheten för digitalisering och "
            "befolkningsdata.",
            "The notice of leaving can be given online or in writing to the agency.",
        ),
        T(
            "kirkosta eroaminen, eroa kirkosta, kirkollisvero, seurakunta",
            "utträde ur kyrkan, kyrkoskatt, församling",
            "leaving the church, church tax, parish",
        ),
        10,
        True,
    ),
    S(
        "vaestotietojen-korjaaminen",
        T("Väestötietojen korjaaminen", "Rättelse av befolkningsdata", "Correcting population data"),
        T(
            "Virheellisten tai puuttuvien tietojen korjaaminen väestötietojärjestelmään, myös ulkomaiset "
            "tapahtumat.",
            "Rättelse av felaktiga eller saknade uppgifter i befolkningsdatasystemet, även händelser utomlands.",
            "Correcting wrong or missing details in the Population Information System, also events abroad.",
        ),
        T(
            "tietojen korjaus, väestötiedot, ulkomailla solmittu avioliitto, lapsen syntymä ulkomailla",
            "rättelse, befolkningsdata, äktenskap utomlands, barnets födelse utomlands",
            "correcting data, population data, marriage abroad, birth abroad",
        ),
        20,
        True,
    ),
)

POLIISI: tuple[ServiceData, ...] = (
    S(
        "passi",
        T("Passi", "Pass", "Passport"),
        T(
            "Passin hakeminen verkossa tai paikan päällä; hakija tunnistetaan henkilökohtaisesti.",
            "Ansökan om pass på nätet eller på plats; sökanden identifieras personligen.",
            "Applying for a passport online or in person; the applicant is identified in person.",
        ),
        T(
            "passi, passin, passia, passikuva, matkustusasiakirja, lapsen passi",
            "pass, passfoto, resedokument, barnets pass",
            "passport, passport photo, travel document, child's passport",
        ),
        20,
        True,
    ),
    S(
        "henkilokortti",
        T("Henkilökortti", "Identitetskort", "Identity card"),
        T(
            "Henkilökortin hakeminen; kortti käy matkustusasiakirjana EU- ja Schengen-maissa.",
            "Ansökan om identitetskort; kortet duger som resedokument i EU- och Schengenländerna.",
            "Applying for an identity card, also valid as a travel document in the EU and Schengen countries.",
        ),
        T(
            "henkilökortti, henkkari, id-kortti, kuvallinen henkilökortti",
            "identitetskort, id-kort, legitimation",
            "identity card, id card",
        ),
        20,
        True,
    ),
    S(
        "ajokortti",
        T("Ajokortti", "Körkort", "Driving licence"),
        T(
            "Ajokortin uusiminen, kaksoiskappale, ajokortin luovutus ja ulkomaisen ajokortin vaihtaminen.",
            "Förnyande av körkort, duplikat, utlämning och byte av utländskt körkort.",
            "Renewing a driving licence, duplicates, collecting the licence and exchanging a foreign licence.",
        ),
        T(
            "ajokortti, ajokortin uusiminen, kortti, ajolupa, ajokortti kadonnut",
            "körkort, förnya körkort, förlorat körkort",
            "driving licence, renewing a licence, lost licence",
        ),
        15,
        True,
    ),
    S(
        "loytotavarat",
        T("Löytötavarat", "Hittegods", "Lost and found property"),
        T(
            "Löydetyn tavaran luovuttaminen ja kadonneen tavaran kysely.",
            "Inlämning av hittegods och förfrågan om förlorade föremål.",
            "Handing in found property and asking about lost items.",
        ),
        T(
            "löytötavara, löytötavarat, kadonnut, hukassa, lompakko, avaimet, löysin",
            "hittegods, förlorat, plånbok, nycklar",
            "lost property, found property, lost wallet, keys",
        ),
        5,
    ),
    S(
        "ajokorttilupa",
        T("Ajokorttilupa", "Körkortstillstånd", "Driving licence permit"),
        T(
            "Ajokorttilupa haetaan ennen ajo-opetuksen aloittamista; liitteenä lääkärinlausunto.",
            "Körkortstillstånd söks innan körundervisningen börjar; ett läkarutlåtande bifogas.",
            "Apply for a driving licence permit before driving lessons start; attach a medical certificate.",
        ),
        T(
            "ajokorttilupa, autokoulu, ajo-opetus, mopokortti, lääkärinlausunto",
            "körkortstillstånd, bilskola, körundervisning, mopedkort",
            "driving licence permit, driving school, moped licence",
        ),
        15,
        True,
    ),
    S(
        "aselupa",
        T("Ampuma-aselupa", "Skjutvapentillstånd", "Firearms licence"),
        T(
            "Hankkimislupa ja aseen hallussapitolupa, myös metsästysaseille; harrastuksen osoittaminen.",
            "Förvärvstillstånd och innehavstillstånd för skjutvapen, även jaktvapen; påvisande av hobby.",
            "Acquisition and possession permits for firearms, also hunting weapons; proving the hobby.",
        ),
        T(
            "aselupa, ase, metsästys, hankkimislupa, kivääri, haulikko",
            "vapentillstånd, vapen, jakt, förvärvstillstånd",
            "firearms licence, gun, hunting, rifle, shotgun",
        ),
        30,
        True,
    ),
    S(
        "tilapainen-passi",
        T("Tilapäinen passi", "Provisoriskt pass", "Temporary passport"),
        T(
            "Kiireelliseen matkaan lyhytaikainen passi, kun tavallista passia ei ehditä valmistaa.",
            "Ett kortvarigt pass för en brådskande resa när ett vanligt pass inte hinner tillverkas.",
            "A short-term passport for an urgent trip when a regular passport cannot be made in time.",
        ),
        T(
            "tilapäinen passi, pikapassi, kiireellinen passi, matka",
            "provisoriskt pass, snabbpass, brådskande resa",
            "temporary passport, urgent passport, emergency travel",
        ),
        20,
        True,
    ),
    S(
        "rikosilmoitus",
        T("Rikosilmoitus", "Brottsanmälan", "Reporting a crime"),
        T(
            "Opastus sähköisen rikosilmoituksen tekemiseen esimerkiksi varkaudesta tai petoksesta.",
            "Handledning i att göra en elektronisk brottsanmälan, till exempel om stöld eller bedrägeri.",
            "Guidance on reporting a crime online, for example a theft or a fraud.",
        ),
        T(
            "rikosilmoitus, varkaus, petos, huijaus, ilkivalta, ilmoitus poliisille",
            "brottsanmälan, stöld, bedrägeri, skadegörelse",
            "crime report, theft, fraud, scam, vandalism",
        ),
        15,
    ),
    S(
        "muukalaispassi",
        T(
            "Muukalaispassi ja pakolaisen matkustusasiakirja",
            "Främlingspass och resedokument för flykting",
            "Alien's passport and refugee travel document",
        ),
        T(
            "Matkustusasiakirja Suomessa asuvalle ulkomaalaiselle, joka ei saa passia kotimaastaan.",
            "Resedokument för en utlänning bosatt i Finland som inte kan få pass från sitt hemland.",
            "A travel document for a foreigner living in Finland who cannot get a passport from their home "
            "country.",
        ),
        T(
            "muukalaispassi, pakolainen, matkustusasiakirja, ulkomaalainen",
            "främlingspass, flykting, resedokument",
            "alien's passport, refugee, travel document",
        ),
        25,
        True,
    ),
    S(
        "yleisotilaisuus",
        T("Yleisötilaisuuden ilmoitus", "Anmälan om allmän tillställning", "Notifying a public event"),
        T(
            "Ilmoitus yleisötilaisuudesta tai yleisestä kokouksesta poliisille hyvissä ajoin etukäteen.",
            "Anmälan till polisen i god tid om en allmän tillställning eller allmän sammankomst.",
            "Notifying the police well in advance of a public event or public meeting.",
        ),
        T(
            "yleisötilaisuus, tapahtuma, mielenosoitus, kokous, markkinat, konsertti",
            "allmän tillställning, evenemang, demonstration, sammankomst",
            "public event, demonstration, meeting, concert",
        ),
        15,
    ),
    S(
        "arpajaislupa",
        T("Arpajaislupa", "Lotteritillstånd", "Lottery permit"),
        T(
            "Yhdistyksen tavara-arpajaisten lupa ja pienarpajaisten ilmoitus.",
            "Tillstånd för en förenings varulotteri och anmälan om småskaliga lotterier.",
            "A permit for an association's prize lottery and notifying small lotteries.",
        ),
        T(
            "arpajaiset, arpajaislupa, tavara-arpajaiset, yhdistys",
            "lotteri, lotteritillstånd, varulotteri, förening",
            "lottery, lottery permit, raffle, association",
        ),
        15,
    ),
    S(
        "rahankerayslupa",
        T("Rahankeräyslupa", "Penninginsamlingstillstånd", "Fundraising permit"),
        T(
            "Rahankeräyslupa yhdistykselle ja pienkeräyksen ilmoitus.",
            "Penninginsamlingstillstånd för en förening och anmälan om småskalig insamling.",
            "A fundraising permit for an association and notifying a small-scale collection.",
        ),
        T(
            "rahankeräys, keräys, pienkeräys, lahjoitus, yhdistys",
            "penninginsamling, insamling, donation, förening",
            "fundraising, collection, donation, association",
        ),
        15,
    ),
    S(
        "jarjestyksenvalvojakortti",
        T("Järjestyksenvalvojakortti", "Ordningsvaktskort", "Security steward card"),
        T(
            "Järjestyksenvalvojan hyväksyminen ja kortin uusiminen koulutuksen jälkeen.",
            "Godkännande som ordningsvakt och förnyande av kortet efter utbildningen.",
            "Approval as a security steward and renewing the card after training.",
        ),
        T(
            "järjestyksenvalvoja, järkkäri, portsari, jv-kortti",
            "ordningsvakt, ordningsvaktskort",
            "security steward, bouncer, steward card",
        ),
        15,
        True,
    ),
    S(
        "vartijakortti",
        T("Vartijan hyväksyminen", "Godkännande som väktare", "Security guard approval"),
        T(
            "Vartijaksi hyväksyminen ja vartijakortin uusiminen.",
            "Godkännande som väktare och förnyande av väktarkortet.",
            "Approval as a security guard and renewing the guard card.",
        ),
        T(
            "vartija, vartijakortti, turvallisuusala",
            "väktare, väktarkort, säkerhetsbranschen",
            "security guard, guard card, security industry",
        ),
        15,
        True,
    ),
    S(
        "eurooppalainen-ampuma-asepassi",
        T("Eurooppalainen ampuma-asepassi", "Europeiskt skjutvapenpass", "European Firearms Pass"),
        T(
            "Asepassi ampuma-aseen kuljettamiseen toiseen EU-maahan metsästystä tai kilpailua varten.",
            "Vapenpass för att föra ett skjutvapen till ett annat EU-land för jakt eller tävling.",
            "A pass for taking a firearm to another EU country for hunting or competitions.",
        ),
        T(
            "asepassi, eurooppalainen ampuma-asepassi, metsästysmatka, ase ulkomaille",
            "vapenpass, europeiskt skjutvapenpass, jaktresa",
            "firearms pass, hunting trip abroad",
        ),
        20,
        True,
    ),
    S(
        "lupapalvelujen-ajanvaraus",
        T(
            "Lupapalvelujen ajanvaraus",
            "Tidsbokning för tillståndstjänster",
            "Booking a permit services appointment",
        ),
        T(
            "Ajan varaaminen poliisin lupapalveluihin ja lupa-asian käsittelytilanteen tiedustelu.",
            "Tidsbokning till polisens tillståndstjänster och förfrågan om ett ärendes behandling.",
            "Booking an appointment with police permit services and asking about the status of an application.",
        ),
        T(
            "ajanvaraus, poliisin ajanvaraus, lupa-asia, käsittelyaika, passin nouto",
            "tidsbokning, tillståndsärende, handläggningstid",
            "appointment, permit application status, processing time",
        ),
        10,
    ),
)

TE: tuple[ServiceData, ...] = (
    S(
        "tyonhakijaksi-ilmoittautuminen",
        T("Työnhakijaksi ilmoittautuminen", "Anmälan som arbetssökande", "Registering as a job seeker"),
        T(
            "Ilmoittaudu työnhakijaksi viimeistään ensimmäisenä työttömyyspäivänä saadaksesi työttömyysetuutta.",
            "Anmäl dig som arbetssökande senast den första arbetslöshetsdagen för att få arbetslöshetsförmån.",
            "Register as a job seeker on your first day of unemployment at the latest to receive unemployment "
            "benefit.",
        ),
        T(
            "työnhakijaksi, työnhaku, työtön, työttömäksi, ilmoittautuminen, lomautus, lomautettu",
            "arbetssökande, arbetslös, permittering, anmälan",
            "job seeker, registering as unemployed, laid off, unemployment",
        ),
        20,
        True,
    ),
    S(
        "tyonhakuvelvollisuus",
        T("Työnhakuvelvollisuus", "Jobbsökningsskyldighet", "Job search obligation"),
        T(
            "Työnhakijan on haettava työpaikkoja sovitusti; opastus hakujen ilmoittamiseen verkossa.",
            "Den arbetssökande ska söka jobb enligt överenskommelse; handledning i att anmäla ansökningarna på "
            "nätet.",
            "Job seekers must apply for jobs as agreed; guidance on reporting the applications online.",
        ),
        T(
            "työnhakuvelvollisuus, neljä työpaikkaa, haetut työpaikat, pohjoismainen malli",
            "jobbsökningsskyldighet, sökta jobb, nordisk modell",
            "job search obligation, applications per month, nordic model",
        ),
        15,
        True,
    ),
    S(
        "tyollistymissuunnitelma",
        T("Työllistymissuunnitelma", "Sysselsättningsplan", "Employment plan"),
        T(
            "Asiantuntijan kanssa laadittu suunnitelma työnhausta ja palveluista.",
            "En plan för jobbsökandet och tjänsterna som görs upp tillsammans med en sakkunnig.",
            "A plan of your job search and services, drawn up with an expert.",
        ),
        T(
            "työllistymissuunnitelma, suunnitelma, alkuhaastattelu, työnhakukeskustelu",
            "sysselsättningsplan, plan, inledande intervju, jobbsökningssamtal",
            "employment plan, initial interview, job search discussion",
        ),
        30,
        True,
    ),
    S(
        "tyovoimapoliittinen-lausunto",
        T("Työvoimapoliittinen lausunto", "Arbetskraftspolitiskt utlåtande", "Labour policy statement"),
        T(
            "Lausunto Kelalle tai työttömyyskassalle oikeudesta työttömyysetuuteen.",
            "Utlåtande till FPA eller arbetslöshetskassan om rätten till arbetslöshetsförmån.",
            "A statement to Kela or the unemployment fund on your right to unemployment benefit.",
        ),
        T(
            "työvoimapoliittinen lausunto, lausunto, karenssi, korvauksettomat määräajat",
            "arbetskraftspolitiskt utlåtande, utlåtande, karens",
            "labour policy statement, waiting period, sanction",
        ),
        20,
        True,
    ),
    S(
        "starttiraha",
        T("Starttiraha", "Startpeng", "Start-up grant"),
        T(
            "Tuki yrittäjäksi ryhtyvän toimeentuloon yritystoiminnan käynnistämisen ajaksi.",
            "Stöd för en blivande företagares försörjning medan företagsverksamheten startar.",
            "Support for a new entrepreneur's income while the business is starting.",
        ),
        T(
            "starttiraha, yrittäjä, yrityksen perustaminen, oma yritys",
            "startpeng, företagare, starta eget",
            "start-up grant, entrepreneur, starting a business",
        ),
        30,
        True,
    ),
    S(
        "palkkatuki",
        T("Palkkatuki", "Lönesubvention", "Pay subsidy"),
        T(
            "Työnantajalle maksettava tuki työttömän työnhakijan palkkauskustannuksiin.",
            "Stöd till arbetsgivare för lönekostnaderna när de anställer en arbetslös arbetssökande.",
            "Support paid to an employer towards the wage costs of hiring an unemployed job seeker.",
        ),
        T(
            "palkkatuki, palkkatukityö, työnantaja, palkkatuella",
            "lönesubvention, arbetsgivare, anställning",
            "pay subsidy, wage subsidy, employer",
        ),
        25,
        True,
    ),
    S(
        "urasuunnittelu",
        T("Urasuunnittelu ja uraohjaus", "Karriärplanering och karriärvägledning", "Career guidance"),
        T(
            "Tukea ammatinvalintaan, alanvaihtoon ja koulutuksen valintaan.",
            "Stöd i yrkesval, byte av bransch och val av utbildning.",
            "Support in choosing a profession or a training, or changing careers.",
        ),
        T(
            "urasuunnittelu, uraohjaus, ammatinvalinta, alanvaihto, ammatinvalintapsykologi",
            "karriärplanering, karriärvägledning, yrkesval, byta bransch",
            "career guidance, career planning, changing careers",
        ),
        45,
        True,
    ),
    S(
        "tyovoimakoulutus",
        T("Työvoimakoulutus", "Arbetskraftsutbildning", "Labour market training"),
        T(
            "Ammatillinen koulutus aikuisille työnhakijoille; koulutuksiin haetaan verkossa.",
            "Yrkesinriktad utbildning för vuxna arbetssökande; utbildningarna söks på nätet.",
            "Vocational training for adult job seekers; applications are made online.",
        ),
        T(
            "työvoimakoulutus, koulutus, kurssi, uudelleenkoulutus",
            "arbetskraftsutbildning, utbildning, kurs, omskolning",
            "labour market training, training, course, retraining",
        ),
        20,
    ),
    S(
        "omaehtoinen-opiskelu",
        T(
            "Omaehtoinen opiskelu työttömyysetuudella",
            "Frivilliga studier med arbetslöshetsförmån",
            "Self-motivated studies with unemployment benefit",
        ),
        T(
            "Opiskelu työttömyysetuudella tuettuna, kun opinnot parantavat työllistymistä.",
            "Studier med stöd av arbetslöshetsförmån när studierna förbättrar möjligheterna att få jobb.",
            "Studying on unemployment benefit when the studies improve your chances of finding work.",
        ),
        T(
            "omaehtoinen opiskelu, opiskelu, opinnot, koulutus, tuettu opiskelu",
            "frivilliga studier, studier, utbildning",
            "self-motivated studies, studying on benefit",
        ),
        25,
        True,
    ),
    S(
        "tyokokeilu",
        T("Työkokeilu", "Arbetsprövning", "Work trial"),
        T(
            "Työkokeilulla selvitetään ammatinvalinta- ja uravaihtoehtoja tai tuetaan paluuta työmarkkinoille.",
            "Genom arbetsprövning utreds alternativ för yrkesval och karriär eller stöds återgång till "
            "arbetsmarknaden.",
            "A work trial helps to explore career options or to return to working life.",
        ),
        T(
            "työkokeilu, kokeilu, työharjoittelu, harjoittelu",
            "arbetsprövning, praktik",
            "work trial, trial placement, internship",
        ),
        20,
        True,
    ),
    S(
        "kotoutumissuunnitelma",
        T("Kotoutumissuunnitelma", "Integrationsplan", "Integration plan"),
        T(
            "Maahanmuuttajan suunnitelma suomen tai ruotsin kielen opiskelusta ja työllistymisestä.",
            "En invandrares plan för studier i finska eller svenska och för att få arbete.",
            "An immigrant's plan for learning Finnish or Swedish and finding work.",
        ),
        T(
            "kotoutuminen, kotoutumissuunnitelma, maahanmuuttaja, suomen kieli, kielikurssi",
            "integration, integrationsplan, invandrare, språkkurs",
            "integration plan, immigrant, finnish language course",
        ),
        45,
        True,
    ),
    S(
        "tyokyvyn-tuki",
        T("Työkyvyn tuki", "Stöd för arbetsförmåga", "Support for work ability"),
        T(
            "Työkykykoordinaattorin tuki, kun sairaus tai vamma vaikeuttaa työllistymistä.",
            "Stöd av en arbetsförmågekoordinator när en sjukdom eller skada försvårar sysselsättningen.",
            "Support from a work ability coordinator when an illness or injury makes finding work harder.",
        ),
        T(
            "työkyky, työkykykoordinaattori, osatyökykyinen, terveys",
            "arbetsförmåga, partiellt arbetsför, koordinator",
            "work ability, partial work ability, coordinator",
        ),
        30,
        True,
    ),
    S(
        "nuorten-palvelut",
        T(
            "Ohjaamo – nuorten palvelut",
            "Navigatorn – tjänster för unga",
            "Ohjaamo one-stop guidance for young people",
        ),
        T(
            "Alle 30-vuotiaiden matalan kynnyksen ohjaus työhön, koulutukseen ja arjen asioihin.",
            "Lågtröskelvägledning för personer under 30 år om arbete, utbildning och vardagsfrågor.",
            "Low-threshold guidance for people under 30 on work, education and everyday matters.",
        ),
        T(
            "ohjaamo, nuoret, nuori, kesätyö, opiskelupaikka, alle 30",
            "navigatorn, unga, sommarjobb, studieplats",
            "ohjaamo, young people, summer job, study place",
        ),
        30,
    ),
    S(
        "eures",
        T("EURES ja työ ulkomailla", "EURES och arbete utomlands", "EURES and working abroad"),
        T(
            "Neuvontaa työskentelystä muissa EU- ja ETA-maissa ja ulkomaisista työpaikoista.",
            "Rådgivning om att arbeta i andra EU- och EES-länder och om jobb utomlands.",
            "Advice on working in other EU and EEA countries and on jobs abroad.",
        ),
        T(
            "eures, työ ulkomailla, ulkomaille töihin, kausityö",
            "eures, arbete utomlands, säsongsarbete",
            "eures, working abroad, seasonal work",
        ),
        20,
    ),
    S(
        "muutosturva",
        T("Muutosturva", "Omställningsskydd", "Change security"),
        T(
            "Irtisanotun työntekijän muutosturvakoulutus ja työllistymistä edistävät palvelut.",
            "Omställningsutbildning och sysselsättningsfrämjande tjänster för uppsagda arbetstagare.",
            "Change security training and employment services for dismissed employees.",
        ),
        T(
            "muutosturva, irtisanominen, irtisanottu, muutosturvakoulutus",
            "omställningsskydd, uppsägning, uppsagd",
            "change security, dismissal, redundancy",
        ),
        20,
        True,
    ),
    S(
        "tyopaikkailmoitus",
        T(
            "Työpaikkailmoitus työnantajalle",
            "Platsannons för arbetsgivare",
            "Job vacancy notice for employers",
        ),
        T(
            "Avoimen työpaikan ilmoittaminen Työmarkkinatorille ja rekrytointiapu.",
            "Anmälan av lediga jobb till Jobbmarknaden och hjälp med rekrytering.",
            "Posting a vacancy on the Job Market Finland service and help with recruitment.",
        ),
        T(
            "työpaikkailmoitus, avoin työpaikka, työmarkkinatori, rekrytointi, työntekijä",
            "platsannons, ledigt jobb, jobbmarknaden, rekrytering",
            "job vacancy, job market finland, recruitment, employer",
        ),
        15,
    ),
    S(
        "rekrytointipalvelut",
        T(
            "Rekrytointipalvelut työnantajille",
            "Rekryteringstjänster för arbetsgivare",
            "Recruitment services for employers",
        ),
        T(
            "Rekrytointitilaisuudet, koulutukset työnantajan tarpeisiin ja tuet työllistämiseen.",
            "Rekryteringsevenemang, utbildning för arbetsgivarens behov och stöd för att anställa.",
            "Recruitment events, training tailored to employers and support for hiring.",
        ),
        T(
            "rekrytointi, rekrytointikoulutus, työnantajapalvelut, työvoima",
            "rekrytering, arbetsgivartjänster, arbetskraft",
            "recruitment, employer services, workforce",
        ),
        20,
    ),
)

OIKEUSAPU: tuple[ServiceData, ...] = (
    S(
        "oikeusapu",
        T("Oikeusapu", "Rättshjälp", "Legal aid"),
        T(
            "Julkisen oikeusavustajan apu oikeudellisiin asioihin kokonaan tai osittain valtion varoin.",
            "Hjälp av ett offentligt rättsbiträde i rättsliga ärenden helt eller delvis med statens medel.",
            "Help from a public legal aid attorney in legal matters, fully or partly at the state's expense.",
        ),
        T(
            "oikeusapu, lakimies, juristi, asianajaja, riita, oikeudenkäynti, huoltajuus",
            "rättshjälp, jurist, advokat, tvist, rättegång, vårdnad",
            "legal aid, lawyer, attorney, dispute, court case, custody",
        ),
        45,
        True,
    ),
    S(
        "talous-ja-velkaneuvonta",
        T("Talous- ja velkaneuvonta", "Ekonomi- och skuldrådgivning", "Debt counselling"),
        T(
            "Maksuton apu velkojen ja talouden hoitoon, maksusuunnitelmat ja velkajärjestelyn hakeminen.",
            "Avgiftsfri hjälp med skulder och ekonomi, betalningsplaner och ansökan om skuldsanering.",
            "Free help with debts and money matters, payment plans and applying for debt adjustment.",
        ),
        T(
            "velkaneuvonta, velat, velka, pikavippi, ulosotto, maksuhäiriö, luottotiedot",
            "skuldrådgivning, skulder, snabblån, utsökning, betalningsanmärkning",
            "debt counselling, debt, payday loan, enforcement, credit record",
        ),
        45,
        True,
    ),
    S(
        "velkajarjestely",
        T(
            "Yksityishenkilön velkajärjestely",
            "Skuldsanering för privatpersoner",
            "Debt adjustment for individuals",
        ),
        T(
            "Tuomioistuimen vahvistama maksuohjelma ylivelkaantuneelle; hakemuksen laatiminen.",
            "Ett betalningsprogram som fastställs av domstolen för den som är överskuldsatt; hjälp med ansökan.",
            "A court-confirmed repayment programme for over-indebted people; help with the application.",
        ),
        T(
            "velkajärjestely, velkasaneeraus, ylivelkaantuminen, maksuohjelma",
            "skuldsanering, överskuldsättning, betalningsprogram",
            "debt adjustment, over-indebtedness, repayment programme",
        ),
        45,
        True,
    ),
    S(
        "yleinen-edunvalvonta",
        T("Yleinen edunvalvonta", "Allmän intressebevakning", "Public guardianship services"),
        T(
            "Yleisen edunvalvojan hoitamat päämiehen raha-asiat ja omaisuus.",
            "Den allmänna intressebevakarens skötsel av huvudmannens ekonomi och egendom.",
            "A public guardian managing their principal's finances and property.",
        ),
        T(
            "yleinen edunvalvonta, edunvalvoja, päämies, käyttövarat",
            "allmän intressebevakning, intressebevakare, huvudman",
            "public guardianship, guardian, principal",
        ),
        30,
        True,
    ),
    S(
        "perunkirjoitus",
        T(
            "Perunkirjoitus ja perinnönjako",
            "Bouppteckning och arvskifte",
            "Estate inventory and distribution",
        ),
        T(
            "Oikeusaputoimisto voi toimittaa perunkirjoituksen ja perinnönjaon pienituloisille.",
            "Rättshjälpsbyrån kan förrätta bouppteckning och arvskifte för personer med små inkomster.",
            "The legal aid office can draw up the estate inventory and distribution for people with low incomes.",
        ),
        T(
            "perunkirjoitus, perukirja, perinnönjako, kuolinpesä, perintö",
            "bouppteckning, arvskifte, dödsbo, arv",
            "estate inventory, distribution of an estate, inheritance",
        ),
        45,
        True,
    ),
)

MUNICIPAL: tuple[ServiceData, ...] = (
    S(
        "kirjastokortti",
        T("Kirjastokortti", "Bibliotekskort", "Library card"),
        T(
            "Kirjastokortin hankkiminen, PIN-koodi ja kadonneen kortin korvaaminen.",
            "Att skaffa bibliotekskort, PIN-kod och ersättning av förlorat kort.",
            "Getting a library card, its PIN code and replacing a lost card.",
        ),
        T(
            "kirjastokortti, kirjasto, lainaus, pin-koodi",
            "bibliotekskort, bibliotek, lån, pin-kod",
            "library card, library, borrowing, pin code",
        ),
        5,
        True,
    ),
    S(
        "varhaiskasvatushakemus",
        T(
            "Varhaiskasvatushakemus",
            "Ansökan om småbarnspedagogik",
            "Application for early childhood education",
        ),
        T(
            "Hakemus päiväkotiin tai perhepäivähoitoon viimeistään neljä kuukautta ennen tarvetta.",
            "Ansökan till daghem eller familjedagvård senast fyra månader innan behovet.",
            "Applying for a day-care centre or family day care at least four months before you need it.",
        ),
        T(
            "varhaiskasvatus, päiväkoti, päivähoito, hoitopaikka, perhepäivähoito, tarhapaikka",
            "småbarnspedagogik, daghem, dagvård, familjedagvård",
            "early childhood education, day care, kindergarten, nursery",
        ),
        15,
    ),
    S(
        "rakennuslupa",
        T("Rakennuslupa ja rakentamisen luvat", "Bygglov och andra lov", "Building permits"),
        T(
            "Rakennus-, toimenpide- ja purkuluvat sähköisessä asiointipalvelussa; opastus ja liitteet.",
            "Bygglov, åtgärdstillstånd och rivningslov i e-tjänsten; handledning och bilagor.",
            "Building, minor works and demolition permits in the online service; guidance and attachments.",
        ),
        T(
            "rakennuslupa, lupa, rakentaminen, toimenpidelupa, sauna, autotalli, remontti",
            "bygglov, åtgärdstillstånd, byggande, bastu, garage",
            "building permit, construction, sauna, garage, renovation",
        ),
        20,
    ),
    S(
        "vuokra-asunnot",
        T(
            "Kunnan vuokra-asunnon hakeminen",
            "Ansökan om kommunens hyresbostad",
            "Applying for a municipal rental flat",
        ),
        T(
            "Asuntohakemus kunnan vuokrataloyhtiön asuntoihin.",
            "Bostadsansökan till kommunens hyreshusbolags bostäder.",
            "Applying for a flat from the municipality's rental housing company.",
        ),
        T(
            "vuokra-asunto, asunto, asuntohakemus, vuokrakaksio, kunnan asunto",
            "hyresbostad, bostad, bostadsansökan",
            "rental flat, housing application, municipal housing",
        ),
        15,
    ),
    S(
        "liikuntapalvelut",
        T(
            "Liikuntapalvelut ja kuntosalikortit",
            "Idrottstjänster och gymkort",
            "Sports services and gym cards",
        ),
        T(
            "Kuntosali- ja uimahallikortit, vuorovaraukset ja liikuntaryhmät.",
            "Gym- och simhallskort, bokning av turer och motionsgrupper.",
            "Gym and swimming hall cards, booking sports venues and exercise groups.",
        ),
        T(
            "kuntosali, kuntosalikortti, uimahalli, liikunta, vuorovaraus, sarjakortti",
            "gym, gymkort, simhall, motion, bokning",
            "gym, gym card, swimming hall, sports, booking",
        ),
        5,
    ),
    S(
        "kuntalaisaloite",
        T(
            "Kuntalaisaloite ja palaute",
            "Invånarinitiativ och respons",
            "Residents' initiatives and feedback",
        ),
        T(
            "Aloitteen tekeminen kunnalle ja palautteen antaminen kunnan palveluista.",
            "Att lämna ett initiativ till kommunen och ge respons på kommunens tjänster.",
            "Making an initiative to the municipality and giving feedback on its services.",
        ),
        T(
            "aloite, kuntalaisaloite, palaute, valitus, kunta",
            "initiativ, invånarinitiativ, respons, kommun",
            "initiative, feedback, complaint, municipality",
        ),
        10,
    ),
)

SERVICES_BY_AGENCY: dict[str, tuple[ServiceData, ...]] = {
    "kela": KELA,
    "vero": VERO,
    "tyollisyys": TE,
    "dvv": DVV,
    "poliisi": POLIISI,
    "oikeusapu": OIKEUSAPU,
}
"""Services of the state agencies by agency code; every municipal agency gets :data:`MUNICIPAL`."""

LARGE_AGENCIES = ("kela", "tyollisyys", "vero", "dvv", "poliisi")
