"""Saved planning scenarios: what a planner asked, how far its background run has come, and its result.

A scenario holds no personal data: its inputs are distances, shares and sites, its result is
population counts by postal area, municipality and region from the shipped open data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text


class ScenarioMode(models.TextChoices):
    EVALUATE = "evaluate", _("Evaluate today's network")
    MINIMISE = "minimise", _("The fewest sites that meet a rule")
    BEST = "best", _("The best network of a given size")
    FULL = "full", _("The fewest new full points that lift the full-point share to a target")


class ScenarioStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to run")
    RUNNING = "running", _("running")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ScenarioStep(models.TextChoices):
    """The steps of a run, in order (asiointi.planning.scenarios.scenario_run names them)."""

    WAITING = "", _("Waiting for a worker")
    DISTANCES = "distances", _("Building the distances")
    OPTIMAL = "optimal", _("Solving to proven optimality")
    GREEDY = "greedy", _("Running the greedy heuristic for comparison")
    OUTPUTS = "outputs", _("Drawing the map and writing the table")
    FINISHED = "finished", _("Finished")


class ScenarioFailure(models.TextChoices):
    """Why a run ended without a network; the page explains each in the visitor's language."""

    NONE = "", ""
    INFEASIBLE = "infeasible", _("No network of the allowed sites meets the rule.")
    TIME_LIMIT = "time_limit", _("The time limit ran out before any network that meets the rule was found.")
    INVALID = "invalid", _("The scenario asks for something contradictory.")
    ERROR = "error", _("The run failed because of an error in the service.")
    WORKER_LOST = (
        "worker_lost",
        _("The background worker running the scenario stopped. Save it again to run it."),
    )


class Scenario(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    mode = models.CharField(_("question"), max_length=10, choices=ScenarioMode.choices)
    radius_km = models.FloatField(
        _("distance by road (km)"),
        default=40.0,
        validators=[MinValueValidator(1.0), MaxValueValidator(500.0)],
    )
    share = models.FloatField(
        _("share of residents within the distance"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    per_region = models.BooleanField(_("in every region"), default=False)
    catchment_share = models.FloatField(
        _("share within the distance in every catchment"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    count = models.PositiveIntegerField(_("number of sites"), null=True, blank=True)
    keep_existing = models.BooleanField(_("keep today's service points"), default=False)
    exclude_offices = models.BooleanField(_("no new site where an agency has its own office"), default=False)
    #: Sites named by the planner: municipality codes (their administrative centres), ids of
    #: existing points, or "lat,lon".
    sites = models.JSONField(_("sites"), default=list, blank=True)
    circuity = models.FloatField(
        _("circuity factor"), default=1.3, validators=[MinValueValidator(1.0), MaxValueValidator(3.0)]
    )
    time_limit = models.PositiveIntegerField(
        _("time limit (seconds)"), default=120, validators=[MinValueValidator(1), MaxValueValidator(3600)]
    )

    status = models.CharField(
        _("status"), max_length=10, choices=ScenarioStatus.choices, default=ScenarioStatus.QUEUED
    )
    step = models.CharField(_("step"), max_length=10, choices=ScenarioStep.choices, blank=True, default="")
    #: The solver's latest figures while it runs: seconds, incumbent, bound, gap.
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    failure = models.CharField(
        _("failure"), max_length=12, choices=ScenarioFailure.choices, blank=True, default=""
    )
    failure_detail = models.TextField(_("failure detail"), blank=True, default="")
    result = models.JSONField(_("result"), null=True, blank=True)
    sites_csv = models.TextField(_("table of sites (CSV)"), blank=True, default="")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planning_scenarios",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: Written by the worker while it runs the scenario; a running scenario whose heartbeat stopped
    #: has lost its worker (services.scenario_fail_abandoned).
    heartbeat_at = models.DateTimeField(_("last sign of the worker"), null=True, blank=True)

    class Meta:
        verbose_name = _("planning scenario")
        verbose_name_plural = _("planning scenarios")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mode="best") | models.Q(count__gte=1), name="planning_best_has_count"
            ),
            models.CheckConstraint(
                condition=~models.Q(mode="minimise")
                | models.Q(share__isnull=False)
                | models.Q(catchment_share__isnull=False),
                name="planning_minimise_has_rule",
            ),
            models.CheckConstraint(
                condition=~models.Q(mode="full") | models.Q(share__isnull=False),
                name="planning_full_has_share",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def finished(self) -> bool:
        return self.status in (ScenarioStatus.DONE, ScenarioStatus.FAILED)


class ScenarioMap(models.Model):
    """A finished scenario's maps in one of the product's languages: drawn once by the worker, in every
    language, so that each planner gets the words of the language they read the page in."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="maps", verbose_name=_("scenario")
    )
    language = models.CharField(_("language"), max_length=8)
    png = models.BinaryField(_("map (PNG)"))
    html = models.TextField(_("interactive map (HTML)"))

    class Meta:
        verbose_name = _("scenario map")
        verbose_name_plural = _("scenario maps")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "language"], name="planning_one_map_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.scenario} ({self.language})"
