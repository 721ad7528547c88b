"""Load the realistic demo data that ``make demo`` shows. Safe to run again.

Municipalities come from ``import_geo``. Agencies, services, points, booths, hours, visiting
schedules, offerings and staff are matched by their natural keys and updated in place. The
transactions of the demo points in the loaded period (whole months, ending with the last full month)
are deleted and made again from the seed, so running the command twice leaves the same rows.
Everything happens in one database transaction.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from asiointi.demo import loader
from asiointi.demo.desk import load_callbacks
from asiointi.demo.profiles import load_profiles
from asiointi.demo.scheduling import load_scheduling
from asiointi.demo.transactions import HELSINKI, feedback_for, generate, month_starts
from asiointi.ledger.models import Feedback, Transaction
from asiointi.ledger.services import FeedbackData, feedback_record_many, transaction_record_many
from asiointi.network.models import Municipality


def period(months: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the first month and the first day after the last month of ``months`` whole
    months ending with the last full month before ``today``."""
    end = today.replace(day=1)
    year, month = divmod(end.year * 12 + end.month - 1 - months, 12)
    return dt.date(year, month + 1, 1), end


class Command(BaseCommand):
    help = "Loads the demo agencies, services, service points, staff accounts and transactions (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=12, help="Months of transactions (default 12).")
        parser.add_argument(
            "--seed", type=int, default=2026, help="Seed of the random transactions (default 2026)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        months: int = options["months"]
        if not 0 <= months <= 60:
            raise CommandError("--months must be between 0 and 60.")
        started = time.monotonic()
        first, end = period(months, timezone.localdate())
        tally = loader.Tally()
        with transaction.atomic():
            call_command("import_geo", stdout=self.stdout, stderr=self.stderr)
            municipalities = {m.code: m for m in Municipality.objects.all()}
            agencies = loader.load_agencies(tally, municipalities)
            services = loader.load_services(tally, agencies)
            points = loader.load_points(tally, municipalities, agencies, services, end - dt.timedelta(days=1))
            load_profiles(points, agencies)
            staff = loader.load_staff(tally, points, agencies)
            booked = load_scheduling(
                points=points,
                agencies=agencies,
                domain=loader.DEMO_EMAIL_DOMAIN,
                today=timezone.localdate(),
                seed=options["seed"],
                # Past appointments as far back as the transactions go, at most eight weeks.
                weeks_back=min(8, 4 * months),
            )
            for name, count in booked.items():
                tally.created[f"scheduling: {name}"] += count
            tally.created["desk: callback requests"] += load_callbacks(
                points=points, agencies=agencies, domain=loader.DEMO_EMAIL_DOMAIN
            )
            recorded = 0
            if months:
                window = Transaction.objects.filter(
                    point__in=points.values(),
                    occurred_at__gte=dt.datetime.combine(first, dt.time(), tzinfo=HELSINKI),
                    occurred_at__lt=dt.datetime.combine(end, dt.time(), tzinfo=HELSINKI),
                )
                tally.deleted["Transaction"] += window.delete()[0]
                # One bulk call per month keeps memory small; each is validated by the ledger.
                for _month, rows in generate(
                    points=points,
                    agencies=agencies,
                    services=services,
                    first_month=first,
                    months=months,
                    rng=random.Random(options["seed"]),  # demo data, not security  # nosec B311
                ):
                    recorded += transaction_record_many(rows=rows)
                tally.add(Transaction, True, recorded)
                # Feedback on a share of them (deleted above with its transactions), from its own seed.
                made = window.order_by("pk").values_list("pk", "channel")
                given = feedback_record_many(
                    rows=(
                        FeedbackData(transaction_id=pk, rating=rating, met_need=met_need, text=text)
                        for pk, rating, met_need, text in feedback_for(
                            list(made),
                            random.Random(options["seed"] + 1),  # demo data, not security  # nosec B311
                        )
                    )
                )
                tally.add(Feedback, True, given)
            loader.load_agreements(tally, points, agencies)
            # Drafted statements of the last three months loaded (of the last full month, with only
            # its base part, when no transactions are loaded), so that the pages are not empty.
            last_month = (end - dt.timedelta(days=1)).replace(day=1)
            loader.load_statements(tally, month_starts(first, months)[-3:] if months else [last_month])
        # After the commit: the planner's demo scenarios read the points loaded above.
        loader.load_planning(tally)

        self._report(tally, staff, first, end, months, time.monotonic() - started)

    def _report(
        self,
        tally: loader.Tally,
        staff: list[loader.StaffData],
        first: dt.date,
        end: dt.date,
        months: int,
        seconds: float,
    ) -> None:
        write = self.stdout.write
        write("")
        write(f"{'rows':<24}{'created':>10}{'updated':>10}{'deleted':>10}")
        for name in sorted(set(tally.created) | set(tally.updated) | set(tally.deleted)):
            write(f"{name:<24}{tally.created[name]:>10}{tally.updated[name]:>10}{tally.deleted[name]:>10}")
        if months:
            last = month_starts(first, months)[-1]
            write(f"Transactions from {first:%m/%Y} to {last:%m/%Y} (until {end:%d.%m.%Y}).")
        write(f"Loaded in {seconds:.1f} s.")
        write("")
        write("Demo staff accounts:")
        write(f"  {'role':<28}{'email':<46}password")
        for person in staff:
            scope = person.point or person.agency
            role = f"{person.role} ({scope})" if scope else str(person.role)
            write(f"  {role:<28}{loader.staff_email(person):<46}{loader.DEMO_PASSWORD}")
