"""Writes of the planning app: saving a scenario, running it (the background task calls
:func:`scenario_execute`), and deleting it. The computing is the Django-free library's
(:mod:`asiointi.planning.scenarios`); this module only feeds it the database's network and keeps
the outcome."""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
import threading
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from asiointi.accounts.models import User
from asiointi.core.events import event_publish
from asiointi.network.selectors import office_municipality_codes

from .models import Scenario, ScenarioFailure, ScenarioMap, ScenarioMode, ScenarioStatus, ScenarioStep
from .optimisation import PlanningError
from .outputs import MapTexts, map_html, map_png, sites_csv
from .scenarios import Result, scenario_run
from .scenarios import Scenario as Question
from .selectors import existing_network_sites, profile_levels

logger = logging.getLogger(__name__)

#: At most one progress write a second: the solver reports far more often.
PROGRESS_INTERVAL_SECONDS = 1.0


@dataclass(frozen=True)
class ScenarioInput:
    """What a planner asks, as the form cleaned it."""

    name: str
    mode: str
    radius_km: float = 40.0
    share: float | None = None
    per_region: bool = False
    catchment_share: float | None = None
    count: int | None = None
    keep_existing: bool = False
    exclude_offices: bool = False
    sites: tuple[str, ...] = ()
    circuity: float = 1.3
    time_limit: int = 120


class TooManyUnfinished(Exception):
    """The planner already has as many scenarios waiting or running as one person may."""


def scenario_create(*, created_by: User, data: ScenarioInput) -> Scenario:
    """Save a scenario and queue its run; the task is queued only once the row is committed. One
    planner may have at most ``PLANNING_MAX_UNFINISHED`` scenarios waiting or running, so that one
    person cannot fill the worker's queue."""
    from .tasks import scenario_run_task

    with transaction.atomic():
        # Serialise one planner's saves, so that two at once cannot both pass the count.
        User.objects.select_for_update().filter(pk=created_by.pk).first()
        unfinished = Scenario.objects.filter(
            created_by=created_by, status__in=(ScenarioStatus.QUEUED, ScenarioStatus.RUNNING)
        ).count()
        if unfinished >= settings.PLANNING_MAX_UNFINISHED:
            raise TooManyUnfinished
        scenario = Scenario.objects.create(
            name=data.name,
            mode=data.mode,
            radius_km=data.radius_km,
            share=data.share,
            per_region=data.per_region,
            catchment_share=data.catchment_share,
            count=data.count,
            keep_existing=data.keep_existing,
            exclude_offices=data.exclude_offices,
            sites=list(data.sites),
            circuity=data.circuity,
            time_limit=data.time_limit,
            created_by=created_by,
        )
        transaction.on_commit(lambda: scenario_run_task.enqueue(scenario.pk))
    return scenario


def scenario_delete(*, scenario: Scenario) -> None:
    scenario.delete()


def scenario_group(scenario_id: int) -> str:
    """The Channels group of a scenario's live progress (asiointi.planning.consumers)."""
    return f"planning.scenario.{int(scenario_id)}"


def _publish(scenario_id: int) -> None:
    """Tell the scenario's followers its run's state, once the change is committed."""
    row = Scenario.objects.filter(pk=scenario_id).values("mode", "status", "step", "progress").first()
    if row is not None:
        event_publish(group=scenario_group(scenario_id), payload=dict(row))


def scenario_fail_abandoned(*, now: dt.datetime | None = None) -> int:
    """Mark failed the running scenarios whose worker stopped (no heartbeat for
    ``PLANNING_HEARTBEAT_TIMEOUT_SECONDS``), so that they do not stay "running" forever nor count
    against the planner's limit; returns how many. Safe to run at any time, from many processes."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=settings.PLANNING_HEARTBEAT_TIMEOUT_SECONDS)
    lost = 0
    stale = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    for scenario_id in Scenario.objects.filter(stale, status=ScenarioStatus.RUNNING).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            # the same condition again, in one statement: a heartbeat that came meanwhile wins
            changed = Scenario.objects.filter(stale, pk=scenario_id, status=ScenarioStatus.RUNNING).update(
                status=ScenarioStatus.FAILED,
                failure=ScenarioFailure.WORKER_LOST,
                step=ScenarioStep.FINISHED,
                finished_at=timezone.now(),
            )
            if changed:
                logger.warning("Planning scenario %s lost its worker and was marked failed", scenario_id)
                _publish(scenario_id)
                lost += 1
    return lost


def _question(scenario: Scenario, existing_ids: tuple[str, ...]) -> Question:
    """The library's scenario for a saved one: the network to evaluate is today's points and the
    named sites; an optimisation keeps today's points open when asked and the named sites always."""
    named = tuple(scenario.sites)
    if scenario.mode in (ScenarioMode.EVALUATE, ScenarioMode.FULL) or scenario.keep_existing:
        named = existing_ids + named
    excluded = tuple(office_municipality_codes()) if scenario.exclude_offices else ()
    site_levels, profiles = profile_levels() or ((), ())
    return Question(
        mode=scenario.mode,  # type: ignore[arg-type]  # ScenarioMode's values are the library's modes
        radius_km=scenario.radius_km,
        share=scenario.share,
        per_region=scenario.per_region,
        catchment_share=scenario.catchment_share,
        count=scenario.count,
        sites=named,
        excluded_municipalities=excluded,
        circuity=scenario.circuity,
        time_limit=float(scenario.time_limit),
        site_levels=site_levels,
        profiles=profiles,
    )


def _claim(scenario_id: int) -> bool:
    """Mark a queued scenario as running; False when it is not queued (already run, running or gone),
    which makes the task safe to run twice."""
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().filter(pk=scenario_id).first()
        if scenario is None or scenario.status != ScenarioStatus.QUEUED:
            return False
        scenario.status = ScenarioStatus.RUNNING
        scenario.started_at = scenario.heartbeat_at = timezone.now()
        scenario.step = ScenarioStep.DISTANCES
        scenario.save(update_fields=["status", "started_at", "heartbeat_at", "step"])
        _publish(scenario_id)
    return True


class _Heartbeat:
    """Writes the running scenario's heartbeat every ``PLANNING_HEARTBEAT_SECONDS`` from a thread of
    its own, also while the solver says nothing for minutes."""

    def __init__(self, scenario_id: int) -> None:
        self.scenario_id = scenario_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(
            target=self._run, name=f"scenario-{scenario_id}-heartbeat", daemon=True
        )

    def _run(self) -> None:
        try:
            while not self.stopped.wait(settings.PLANNING_HEARTBEAT_SECONDS):
                Scenario.objects.filter(pk=self.scenario_id, status=ScenarioStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()


class _Progress:
    """Writes the run's step and the solver's figures to the row, at most once a second."""

    def __init__(self, scenario_id: int) -> None:
        self.scenario_id = scenario_id
        self.written = 0.0

    def step(self, name: str) -> None:
        Scenario.objects.filter(pk=self.scenario_id).update(
            step=name, progress={}, heartbeat_at=timezone.now()
        )
        _publish(self.scenario_id)
        self.written = time.monotonic()

    def solver(self, figures: dict[str, float]) -> None:
        now = time.monotonic()
        if now - self.written < PROGRESS_INTERVAL_SECONDS:
            return
        clean = {k: (v if v == v and abs(v) != float("inf") else None) for k, v in figures.items()}
        Scenario.objects.filter(pk=self.scenario_id).update(progress=clean, heartbeat_at=timezone.now())
        _publish(self.scenario_id)
        self.written = now


def _fail(scenario_id: int, failure: str, detail: str = "") -> None:
    Scenario.objects.filter(pk=scenario_id).update(
        status=ScenarioStatus.FAILED,
        failure=failure,
        failure_detail=detail,
        step=ScenarioStep.FINISHED,
        finished_at=timezone.now(),
    )
    _publish(scenario_id)


def map_texts(language: str) -> MapTexts:
    """The words of the maps in ``language``, from the product's translations of the library's words."""
    english = MapTexts()
    with translation.override(language):
        words = {f.name: gettext(getattr(english, f.name)) for f in fields(MapTexts) if f.name != "language"}
    return replace(english, language=language, **words)


def _outputs(result: Result, name: str) -> tuple[str, list[ScenarioMap]]:
    """The table of sites, and the maps in every language of the product (not yet saved)."""
    evaluation = result.evaluation()
    table = io.StringIO()
    sites_csv(instance=result.instance, evaluation=evaluation, out=table)
    maps = []
    with tempfile.TemporaryDirectory() as folder:
        png, page = Path(folder) / "map.png", Path(folder) / "map.html"
        for language, _name in settings.LANGUAGES:
            texts = map_texts(language)
            map_png(instance=result.instance, evaluation=evaluation, path=png, title=name, texts=texts)
            map_html(instance=result.instance, evaluation=evaluation, path=page, title=name, texts=texts)
            maps.append(
                ScenarioMap(language=language, png=png.read_bytes(), html=page.read_text(encoding="utf-8"))
            )
    return table.getvalue(), maps


def scenario_execute(*, scenario_id: int) -> str:
    """Run a queued scenario and keep its result; returns the final status. Idempotent: a scenario
    that is not waiting to run is left as it is."""
    if not _claim(scenario_id):
        return "skipped"
    with _Heartbeat(scenario_id):
        return _execute(scenario_id)


def _execute(scenario_id: int) -> str:
    scenario = Scenario.objects.get(pk=scenario_id)
    progress = _Progress(scenario_id)
    existing = existing_network_sites()
    try:
        question = _question(scenario, existing.ids)
        result = scenario_run(
            scenario=question,
            existing=existing,
            data_dir=Path(settings.GEO_DATA_DIR),
            on_step=progress.step,
            on_progress=progress.solver,
        )
    except PlanningError as error:
        _fail(scenario_id, ScenarioFailure.INVALID, str(error))
        return ScenarioStatus.FAILED
    except Exception:
        logger.exception("Planning scenario %s failed", scenario_id)
        _fail(scenario_id, ScenarioFailure.ERROR)
        raise
    solution = result.solution
    if solution is not None and not solution.found:
        failure = (
            ScenarioFailure.INFEASIBLE if solution.status == "infeasible" else ScenarioFailure.TIME_LIMIT
        )
        _fail(scenario_id, failure)
        return ScenarioStatus.FAILED
    progress.step(ScenarioStep.OUTPUTS)
    table, maps = _outputs(result, scenario.name)
    with transaction.atomic():
        # the result and its maps land together: a scenario is never done without them
        for item in maps:
            item.scenario_id = scenario_id
        ScenarioMap.objects.filter(scenario_id=scenario_id).delete()
        ScenarioMap.objects.bulk_create(maps)
        Scenario.objects.filter(pk=scenario_id).update(
            status=ScenarioStatus.DONE,
            step=ScenarioStep.FINISHED,
            result=result.as_dict(),
            sites_csv=table,
            finished_at=timezone.now(),
        )
        _publish(scenario_id)
    return ScenarioStatus.DONE
