"""Demo callback requests filed at the desks: open ones (some overdue, one being handled by Kela's
demo expert) at Karstula and Parainen, each through the desk's services as a real filing is. The
desk's walk-in transactions are among the ledger's demo transactions (source "desk")."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from asiointi.accounts.models import User
from asiointi.desk.models import CallbackRequest
from asiointi.desk.services import CallbackData, callback_attempt_log, callback_claim, callback_file
from asiointi.network.models import Agency, ServicePoint

#: (point, agency, name, phone, language, topic, preferred times, days ago filed, claimed by Kela's expert)
CALLBACKS: tuple[tuple[str, str, str, str, str, str, str, int, bool], ...] = (
    (
        "karstula",
        "kela",
        "Aino Lehtonen",
        "040 111 2233",
        "fi",
        "Asumistuen tarkistus muuton jälkeen",
        "aamupäivisin",
        0,
        False,
    ),
    (
        "karstula",
        "kela",
        "Eero Salminen",
        "050 222 3344",
        "fi",
        "Sairauspäivärahan hakemus on kesken",
        "",
        1,
        True,
    ),
    (
        "karstula",
        "kela",
        "Liisa Koskinen",
        "044 333 4455",
        "fi",
        "Kysymys eläkkeensaajan asumistuesta",
        "ei perjantaisin",
        6,
        False,
    ),
    (
        "karstula",
        "vero",
        "Juha Mattila",
        "040 444 5566",
        "fi",
        "Verokortin muutos uuden työn vuoksi",
        "iltapäivällä",
        0,
        False,
    ),
    (
        "karstula",
        "vero",
        "Maria Hämäläinen",
        "045 555 6677",
        "en",
        "Tax card for a new job",
        "mornings",
        7,
        False,
    ),
    (
        "parainen",
        "kela",
        "Anna Lindholm",
        "040 666 7788",
        "sv",
        "Frågor om bostadsbidrag",
        "förmiddagar",
        2,
        False,
    ),
)


def load_callbacks(*, points: dict[str, ServicePoint], agencies: dict[str, Agency], domain: str) -> int:
    """Replace the demo points' callback requests with the demo ones; returns how many were filed."""
    CallbackRequest.objects.filter(point__in=points.values()).delete()
    expert = User.objects.filter(email=f"asiantuntija.kela@{domain}").first()
    now = timezone.now()
    made = 0
    for slug, code, name, phone, language, topic, times, days_ago, claimed in CALLBACKS:
        if slug not in points or code not in agencies:
            continue
        filed = callback_file(
            data=CallbackData(
                point=points[slug],
                agency=agencies[code],
                customer_name=name,
                customer_phone=phone,
                language=language,
                topic=topic,
                preferred_times=times,
                consent=True,
            ),
            by=None,
            now=now - dt.timedelta(days=days_ago),
        )
        if claimed and expert is not None:
            callback_claim(request=filed, by=expert)
            callback_attempt_log(
                request=filed, by=expert, note="Ei vastannut, yritän uudelleen iltapäivällä."
            )
        made += 1
    return made
