"""Reads of the scheduling app: the slot search, and appointments scoped by the viewer.

The slot search works on sets: for a window of days it reads the candidates' working hours, absences
and active reservations in one query each, turns them into sorted busy and available intervals per
resource, and walks the start times of the point's open hours on the slot grid, taking for each start
the least-loaded free resource of each kind. The window grows (2 days, then 7, then the rest) until
enough slots are found, so the usual question ("the first 20 free times") reads a few days only."""

from __future__ import annotations

import datetime as dt
import json
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    ForeignKey,
    Lookup,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb

from asiointi.accounts.models import User
from asiointi.accounts.selectors import user_scope
from asiointi.catalogue.models import Channel, Service, ServiceOffering
from asiointi.core.scope import Role
from asiointi.network.models import (
    Booth,
    OpeningHoursException,
    OpeningHoursRule,
    ServicePoint,
    VisitingSchedule,
)
from asiointi.network.selectors import (
    finnish_holiday,
    open_intervals_from_hours,
    point_open_intervals,
    visiting_schedule_recurrence,
)

from .languages import InterpreterLanguage, MeetingLanguage
from .models import (
    ACTIVE_STATES,
    BOOKABLE_CHANNELS,
    Absence,
    Appointment,
    AppointmentChange,
    AppointmentState,
    Expert,
    Interpreter,
    Reservation,
    Resource,
    WorkingHours,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
type Interval = tuple[dt.datetime, dt.datetime]
#: Who asks: a signed-in user, an anonymous visitor, or None (the customer, outside a request).
type Viewer = User | AnonymousUser | None

#: The confirmation code's alphabet: no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B) and no vowels
#: that spell words; easy to read aloud on the phone.
CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
CODE_LENGTH = 8
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")

#: The longest date range one search may cover.
MAX_SEARCH_DAYS = 62


# --- the request --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotRequest:
    """What a booking asks for: the point, the services (of one or more agencies), the channel, the
    meeting's language and an interpreter's language ("" for none)."""

    point: ServicePoint
    services: tuple[Service, ...]
    channel: str
    language: str
    interpreter_language: str = ""

    @property
    def duration(self) -> dt.timedelta:
        """The longest of the services' durations: one meeting handles them all."""
        return dt.timedelta(minutes=max(s.typical_duration_minutes for s in self.services))

    @property
    def agency_ids(self) -> list[int]:
        return sorted({s.agency_id for s in self.services})

    @property
    def needs_booth(self) -> bool:
        return self.channel == Channel.REMOTE_MEETING


def slot_request_build(
    *,
    point: ServicePoint,
    service_ids: Sequence[int],
    channel: str,
    language: str,
    interpreter_language: str | None = None,
) -> SlotRequest:
    """A checked :class:`SlotRequest`. Raises ValidationError (by field, translated, each with a stable
    code) for an unknown channel or language, no services, an unknown service, or a service the point
    does not offer through the channel."""
    errors: dict[str, ValidationError] = {}
    interpreter_language = interpreter_language or ""
    if channel not in [c.value for c in BOOKABLE_CHANNELS]:
        errors["channel"] = ValidationError(
            _("Choose a remote meeting or a visiting official's appointment."), code="unknown_channel"
        )
    if language not in MeetingLanguage.values:
        errors["language"] = ValidationError(
            _("Choose Finnish, Swedish or English as the language of the meeting."), code="unknown_language"
        )
    if interpreter_language and interpreter_language not in InterpreterLanguage.values:
        errors["interpreter"] = ValidationError(
            _("There are no interpreters for that language. Choose a language from the list."),
            code="unknown_interpreter_language",
        )
    elif interpreter_language and interpreter_language == language:
        errors["interpreter"] = ValidationError(
            _("The meeting is held in that language already; choose another language for the interpreter."),
            code="interpreter_same_language",
        )
    ids = list(dict.fromkeys(int(i) for i in service_ids))
    services: list[Service] = []
    if not ids:
        errors["services"] = ValidationError(_("Choose at least one service."), code="no_services")
    elif len(ids) > 4:
        errors["services"] = ValidationError(
            _("One appointment can hold at most four services."), code="too_many_services"
        )
    else:
        services = list(Service.objects.filter(pk__in=ids, is_active=True).select_related("agency"))
        if len(services) != len(ids):
            errors["services"] = ValidationError(
                _("One of the services does not exist."), code="unknown_service"
            )
        elif "channel" not in errors:
            offered = set(
                ServiceOffering.objects.filter(point=point, channel=channel, service_id__in=ids).values_list(
                    "service_id", flat=True
                )
            )
            missing = [s for s in services if s.pk not in offered]
            if missing:
                errors["services"] = ValidationError(
                    _("%(point)s does not offer “%(service)s” through this channel.")
                    % {"point": point.name, "service": missing[0].name},
                    code="service_not_offered",
                )
    if errors:
        raise ValidationError(errors)
    services.sort(key=lambda s: ids.index(s.pk))
    return SlotRequest(
        point=point,
        services=tuple(services),
        channel=channel,
        language=language,
        interpreter_language=interpreter_language,
    )


# --- slots ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertChoice:
    resource_id: int
    expert_id: int
    agency_id: int
    name: str


@dataclass(frozen=True)
class InterpreterChoice:
    resource_id: int
    interpreter_id: int
    name: str


@dataclass(frozen=True)
class BoothChoice:
    resource_id: int
    booth_id: int
    name: str


@dataclass(frozen=True)
class Slot:
    """A free start time with the resources that would hold it."""

    start: dt.datetime
    end: dt.datetime
    booth: BoothChoice | None
    experts: tuple[ExpertChoice, ...]
    interpreter: InterpreterChoice | None

    @property
    def resource_ids(self) -> list[int]:
        ids = [e.resource_id for e in self.experts]
        if self.booth:
            ids.append(self.booth.resource_id)
        if self.interpreter:
            ids.append(self.interpreter.resource_id)
        return ids


_CHOICES: dict[str, type[ExpertChoice] | type[InterpreterChoice] | type[BoothChoice]] = {
    "booth": BoothChoice,
    "expert": ExpertChoice,
    "interpreter": InterpreterChoice,
}


class _Candidate:
    """A resource in the search, with its busy and available times in the current window. A plain
    class with slots: a search makes one per suitable person (hundreds), and the choice shown in a slot
    is built only for the few that take one."""

    __slots__ = (
        "busy_ends",
        "busy_starts",
        "fields",
        "free_ends",
        "free_starts",
        "kind",
        "load",
        "read",
        "resource_id",
    )

    def __init__(self, resource_id: int, kind: str, *fields: Any) -> None:
        self.resource_id = resource_id
        self.kind = kind
        self.fields = fields
        self.busy_starts: list[dt.datetime] = []
        self.busy_ends: list[dt.datetime] = []
        self.free_starts: list[dt.datetime] = []
        self.free_ends: list[dt.datetime] = []
        self.load = 0
        #: Whether the busy times of the current window have been read.
        self.read = False

    @property
    def choice(self) -> ExpertChoice | InterpreterChoice | BoothChoice:
        return _CHOICES[self.kind](self.resource_id, *self.fields)

    def works(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Available (working, open, visiting) for the whole of ``[start, end)``."""
        i = bisect_right(self.free_starts, start) - 1
        return i >= 0 and self.free_ends[i] >= end

    def can_take(self, start: dt.datetime, end: dt.datetime, holds_until: dt.datetime) -> bool:
        # Available for the whole meeting...
        i = bisect_right(self.free_starts, start) - 1
        if i < 0 or self.free_ends[i] < end:
            return False
        # ...and nothing held from the start to the end of the buffer after it.
        j = bisect_left(self.busy_starts, holds_until) - 1
        return j < 0 or self.busy_ends[j] <= start


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _local_days(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    first = start.astimezone(HELSINKI).date()
    last = end.astimezone(HELSINKI).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _instant(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=HELSINKI).astimezone(dt.UTC)


def _rule_intervals(
    rules: list[tuple[int, dt.time, dt.time, dt.date | None, dt.date | None]], days: list[dt.date]
) -> list[Interval]:
    out = []
    for day in days:
        for weekday, starts, ends, valid_from, valid_to in rules:
            if weekday != day.weekday():
                continue
            if (valid_from and day < valid_from) or (valid_to and day > valid_to):
                continue
            out.append((_instant(day, starts), _instant(day, ends)))
    return _merge(out)


def _json_contains(values: QuerySet, field_name: str, *codes: str) -> QuerySet:
    """Rows whose JSON list ``field_name`` holds every one of ``codes``: in the database where it can
    answer that (PostgreSQL), else filtered afterwards (see :func:`_candidates`)."""
    if connection.features.supports_json_field_contains:
        return values.filter(**{f"{field_name}__contains": list(codes)})
    return values


class _Ids:
    """Resource ids for :class:`_AnyOf`, held so that the ORM does not walk them one by one (it looks
    into lists and tuples for expressions and model instances)."""

    __slots__ = ("ids",)

    def __init__(self, ids: Iterable[int]) -> None:
        self.ids = [int(i) for i in ids]


class _AnyOf(Lookup):
    """``resource_id__any_of=_Ids([...])``: on PostgreSQL one array parameter (``= ANY(%s::bigint[])``,
    sent as its text), so that hundreds of candidates are neither hundreds of placeholders nor a new
    statement each time; ``IN (...)`` elsewhere."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        return "%s", [value]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs.ids if isinstance(self.rhs, _Ids) else [int(i) for i in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, "{" + ",".join(map(str, ids)) + "}"]
        if not ids:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


ForeignKey.register_lookup(_AnyOf)

#: How many of a group's candidates (the least loaded first) have their reservations read at first; the
#: rest are read together only when the search reaches a time when none of those can take it and one of
#: the rest works then.
_FIRST_READ = 12


@dataclass
class _Candidates:
    booths: list[_Candidate]
    experts_by_agency: dict[int, list[_Candidate]]
    interpreters: list[_Candidate]
    #: The people's working hours when they were read with them (PostgreSQL).
    hours: _Hours | None = None
    #: The point's weekly rules and dated exceptions when they were read with them (a search on
    #: PostgreSQL).
    point_hours: tuple[list[OpeningHoursRule], list[OpeningHoursException]] | None = None

    def all(self) -> list[_Candidate]:
        return [*self.booths, *(c for cs in self.experts_by_agency.values() for c in cs), *self.interpreters]

    def groups(self) -> list[list[_Candidate]]:
        return [self.booths, self.interpreters, *self.experts_by_agency.values()]


@dataclass(frozen=True)
class _FreeAt:
    """A single time that the candidates must be free at: nothing held from ``start`` to ``hold`` (the
    end of the buffer after the meeting), ``ignore`` an appointment whose own reservations do not count
    (moving it)."""

    start: dt.datetime
    hold: dt.datetime
    ignore_appointment_id: int | None
    #: Only the first this many free people of each kind by resource (a booking takes the first who
    #: works then: see :func:`slot_at`); None: all of them.
    first: int | None = None

    @property
    def reach(self) -> dt.datetime:
        """The earliest start of a reservation that can still hold at ``start``."""
        return self.start - LONGEST_HOLD

    def free(self, queryset: QuerySet, resource: str) -> QuerySet:
        """``queryset`` without the rows whose resource (the field ``resource``) is held or absent then."""
        # Bounded below too (no reservation holds longer than LONGEST_HOLD), so that the index on
        # (resource, starts, holds_until) is read for that time only, not for the resource's history.
        held = Reservation.objects.filter(
            resource_id=OuterRef(resource),
            active=True,
            starts__gte=self.reach,
            starts__lt=self.hold,
            holds_until__gt=self.start,
        )
        if self.ignore_appointment_id is not None:
            held = held.exclude(appointment_id=self.ignore_appointment_id)
        absent = Absence.objects.filter(
            resource_id=OuterRef(resource), starts__lt=self.hold, ends__gt=self.start
        )
        return queryset.filter(~Exists(held), ~Exists(absent))


def _union_rows(parts: Sequence[tuple[str, QuerySet]]) -> list[tuple[int, tuple[Any, ...]]]:
    """The rows of several querysets in one round trip (``UNION ALL``), each as (its part's number, the
    row). ``parts`` are (the select list over the queryset's columns ``q.*``, the queryset); every part's
    select list has the same number of columns. Values come as the database driver gives them (no ORM
    converters): plain numbers, text and datetimes."""
    sql, params = _union_sql(parts)
    if not sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1:]) for row in cursor.fetchall()]


def _union_sql(parts: Sequence[tuple[str, QuerySet]]) -> tuple[str, list[Any]]:
    """The statement of :func:`_union_rows` and its parameters ("" when every part is empty)."""
    sqls: list[str] = []
    params: list[Any] = []
    for n, (columns, queryset) in enumerate(parts):
        try:
            sql, sql_params = queryset.query.sql_with_params()
        except EmptyResultSet:
            continue
        # The parts are the ORM's own SQL with its parameters apart, and our constant column lists.
        sqls.append(f"SELECT {n} AS part, {columns} FROM ({sql}) q")  # noqa: S608  # nosec B608
        params.extend(sql_params)
    return " UNION ALL ".join(sqls), params


def _languages(value: Any) -> list[str]:
    if isinstance(value, str):
        return json.loads(value)
    return value or []


def _candidate_parts(
    *,
    point_id: int,
    agencies: list[tuple[int, list[int]]],
    channel: str,
    language: str,
    interpreter_language: str,
    person_columns: str,
    free: Callable[[QuerySet, str], QuerySet],
    first: int | None = None,
) -> list[tuple[str, QuerySet]]:
    """The querysets of :func:`_candidates` (for :func:`_union_rows`), in the order of
    :func:`_candidate_kinds`. ``agencies`` are (agency, its services in the request); ``first``: only
    the first so many people of each kind by resource."""

    def people(queryset: QuerySet, fields: list[str]) -> QuerySet:
        found = free(queryset, "resource_id")
        if first is None or not in_database:  # where languages are checked in Python, all are read
            return found.order_by().values_list(*fields)
        return found.order_by("resource_id").values_list(*fields)[:first]

    in_database = connection.features.supports_json_field_contains
    parts: list[tuple[str, QuerySet]] = []
    if channel == Channel.REMOTE_MEETING:
        # A booth that has never been booked has no resource row yet (the booking makes it): it stands
        # in the search as minus its booth's id, with nothing reserved.
        booths = (
            free(Booth.objects.filter(point_id=point_id, is_active=True), "resource__pk")
            .order_by()
            .values_list("pk", "resource__pk", "name")
        )
        parts.append(("q.*, NULL", booths))
    for agency_id, service_ids in agencies:
        experts = _json_contains(
            Expert.objects.filter(agency_id=agency_id, is_active=True, user__is_active=True),
            "languages",
            language,
        )
        for service_id in service_ids:
            experts = experts.filter(services=service_id)
        if channel == Channel.VISITING_OFFICIAL:
            experts = experts.filter(visits__point=point_id, visits__agency_id=agency_id).distinct()
        fields = ["pk", "resource_id", "user__full_name"] + ([] if in_database else ["languages"])
        parts.append((person_columns, people(experts, fields)))
    if interpreter_language:
        # The interpreter's languages hold the one interpreted and the meeting's.
        interpreters = _json_contains(
            Interpreter.objects.filter(is_active=True, user__is_active=True),
            "languages",
            interpreter_language,
            language,
        )
        fields = ["pk", "resource_id", "user__full_name"] + ([] if in_database else ["languages"])
        parts.append((person_columns, people(interpreters, fields)))
    return parts


def _candidate_kinds(request: SlotRequest) -> list[tuple[str, int | None, tuple[str, ...]]]:
    """What the rows of each part of :func:`_candidate_parts` are: (kind, agency, the language codes to
    check in Python where the database does not)."""
    in_database = connection.features.supports_json_field_contains
    kinds: list[tuple[str, int | None, tuple[str, ...]]] = []
    if request.needs_booth:
        kinds.append(("booth", None, ()))
    for agency_id in request.agency_ids:
        kinds.append(("expert", agency_id, () if in_database else (request.language,)))
    if request.interpreter_language:
        codes = () if in_database else (request.interpreter_language, request.language)
        kinds.append(("interpreter", None, codes))
    return kinds


#: The candidates' statement compiled once per shape of request (PostgreSQL, a search's reading of
#: everyone suitable): building and compiling its querysets was a large part of a search's own time.
#: Each shape's statement is compiled with stand-in values (numbers and language codes no row has);
#: a call puts its own values where the stand-ins stand in the parameters. A shape whose stand-ins are
#: not all found among the parameters (written into the SQL instead) is not kept: it is compiled on
#: every call as before.
_COMPILED: dict[tuple[object, ...], tuple[str, list[tuple[str, Any]]] | None] = {}
_STAND_IN = -7_000_000_000_000
_STAND_IN_TIME = dt.datetime(1901, 1, 1, tzinfo=dt.UTC)


#: The point's weekly rules (every one: those of other days apply on none) and its dated exceptions
#: from a day to a day, as rows of the candidates' statement: part, the weekday, NULL, the rest as text.
_RULE_ROW = -1
_EXCEPTION_ROW = -2
_POINT_HOURS_SQL = f"""
UNION ALL SELECT {_RULE_ROW}, r.weekday, NULL, concat_ws(',', r.opens, r.closes,
    coalesce(r.valid_from::text, ''), coalesce(r.valid_to::text, '')), NULL
FROM {OpeningHoursRule._meta.db_table} r WHERE r.point_id = %s
UNION ALL SELECT {_EXCEPTION_ROW}, NULL, NULL, concat_ws(',', e.date, e.is_closed,
    coalesce(e.opens::text, ''), coalesce(e.closes::text, '')), NULL
FROM {OpeningHoursException._meta.db_table} e WHERE e.point_id = %s AND e.date BETWEEN %s AND %s
"""  # noqa: S608  # nosec B608: table names of our own models; the values are parameters


def _candidate_rows_compiled(
    request: SlotRequest,
    person_columns: str,
    hours_days: tuple[dt.date, dt.date] | None = None,
    free_at: _FreeAt | None = None,
) -> list[tuple[int, tuple[Any, ...]]]:
    """The rows of :func:`_candidates` from the statement compiled for the request's shape (see
    ``_COMPILED``): for a search, with ``hours_days`` the point's hours too; for a booking's check of
    one time, with ``free_at`` only those with nothing held then."""
    agencies = [(a, [sv.pk for sv in request.services if sv.agency_id == a]) for a in request.agency_ids]
    shape = (
        connection.alias,
        request.channel,
        tuple(len(ids) for _a, ids in agencies),
        bool(request.interpreter_language),
        person_columns,
        free_at is not None,
        free_at is not None and free_at.ignore_appointment_id is not None,
        free_at.first if free_at is not None else None,
    )
    values: dict[object, Any] = {"point": request.point.pk, "language": request.language}
    values["interpreter"] = request.interpreter_language
    for n, (agency_id, service_ids) in enumerate(agencies):
        values[("agency", n)] = agency_id
        for m, service_id in enumerate(service_ids):
            values[("service", n, m)] = service_id
    if free_at is not None:
        values.update(start=free_at.start, hold=free_at.hold, reach=free_at.reach)
        values["ignore"] = free_at.ignore_appointment_id
    if shape not in _COMPILED:
        _COMPILED[shape] = _compile_candidates(request, agencies, person_columns, free_at)
    compiled = _COMPILED[shape]
    if compiled is None:
        parts = _candidate_parts(
            point_id=request.point.pk,
            agencies=agencies,
            channel=request.channel,
            language=request.language,
            interpreter_language=request.interpreter_language,
            person_columns=person_columns,
            free=free_at.free if free_at is not None else lambda queryset, _resource: queryset,
            first=free_at.first if free_at is not None else None,
        )
        sql, own = _union_sql(parts)
        recipe = [("constant", param) for param in own]
    else:
        sql, recipe = compiled
    if not sql:
        return []
    params: list[Any] = []
    for how, what in recipe:
        if how == "value":
            params.append(values[what])
        elif how == "json":
            params.append(Jsonb([values[key] for key in what]))
        else:
            params.append(what)
    if hours_days is not None:
        sql += _POINT_HOURS_SQL
        params += [request.point.pk, request.point.pk, *hours_days]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1:]) for row in cursor.fetchall()]


def _compile_candidates(
    request: SlotRequest, agencies: list[tuple[int, list[int]]], person_columns: str, free_at: _FreeAt | None
) -> tuple[str, list[tuple[str, Any]]] | None:
    """The statement for the shape of ``request`` and how to make its parameters: ("value", key),
    ("json", keys) for a JSON list of values, or ("constant", the parameter)."""
    stand_ins: dict[object, object] = {}

    def stand_in(key: object, text: bool = False) -> Any:
        value: object = f"~{len(stand_ins)}~" if text else _STAND_IN - len(stand_ins)
        stand_ins[value] = key
        return value

    def stand_in_time(key: str) -> dt.datetime:
        # Instants in 1901, a second apart: no reservation or absence is ever there.
        value = _STAND_IN_TIME + dt.timedelta(seconds=len(stand_ins))
        stand_ins[value] = key
        return value

    free: Callable[[QuerySet, str], QuerySet] = lambda queryset, _resource: queryset  # noqa: E731
    if free_at is not None:
        ignore = stand_in("ignore") if free_at.ignore_appointment_id is not None else None
        own = _FreeAt(
            start=stand_in_time("start"),
            hold=stand_in_time("hold"),
            ignore_appointment_id=ignore,
            first=free_at.first,
        )
        stand_ins[own.reach] = "reach"
        free = own.free

    parts = _candidate_parts(
        point_id=stand_in("point"),
        agencies=[
            (stand_in(("agency", n)), [stand_in(("service", n, m)) for m in range(len(ids))])
            for n, (_a, ids) in enumerate(agencies)
        ],
        channel=request.channel,
        language=stand_in("language", text=True),
        interpreter_language=stand_in("interpreter", text=True) if request.interpreter_language else "",
        person_columns=person_columns,
        free=free,
        first=free_at.first if free_at is not None else None,
    )
    sql, params = _union_sql(parts)
    recipe: list[tuple[str, Any]] = []
    found: set[object] = set()
    for param in params:
        # Stand-in numbers (ids) and instants (a booking's time) are the call's own values.
        if isinstance(param, dt.datetime | int) and not isinstance(param, bool) and param in stand_ins:
            recipe.append(("value", stand_ins[param]))
            found.add(param)
        elif isinstance(param, Jsonb) and isinstance(param.obj, list) and param.obj:
            if not all(isinstance(v, str) and v in stand_ins for v in param.obj):
                return None
            recipe.append(("json", [stand_ins[v] for v in param.obj]))
            found.update(param.obj)
        else:
            recipe.append(("constant", param))
    if not sql or found != set(stand_ins):
        return None
    return sql, recipe


def _candidates(
    request: SlotRequest,
    show_names: bool,
    exclude: frozenset[int],
    free_at: _FreeAt | None = None,
    hours_days: tuple[dt.date, dt.date] | None = None,
) -> _Candidates:
    """The suitable resources of each kind; with ``free_at``, only those with nothing held then. One
    query for all of them (the booths, the experts of each agency, the interpreters); for a search on
    PostgreSQL the point's weekly rules and its exceptions on the days ``hours_days`` (first, last) come
    in the same statement."""

    def free(queryset: QuerySet, resource: str) -> QuerySet:
        return free_at.free(queryset, resource) if free_at is not None else queryset

    # Where the database filters by language (PostgreSQL), the languages are not read at all; there
    # each person's working hours come along as a fourth column (see _RULES_OF_PERSON).
    with_rules = connection.vendor == "postgresql"
    person_columns = "q.*, " + _RULES_OF_PERSON if with_rules else "q.*"
    kinds = _candidate_kinds(request)
    booths_found: list[_Candidate] = []
    experts_by_agency: dict[int, list[_Candidate]] = {a: [] for a in request.agency_ids}
    interpreters: list[_Candidate] = []
    if with_rules:
        rows = _candidate_rows_compiled(
            request, person_columns, hours_days if free_at is None else None, free_at
        )
    else:
        parts = _candidate_parts(
            point_id=request.point.pk,
            agencies=[
                (a, [sv.pk for sv in request.services if sv.agency_id == a]) for a in request.agency_ids
            ],
            channel=request.channel,
            language=request.language,
            interpreter_language=request.interpreter_language,
            person_columns=person_columns,
            free=free,
            first=free_at.first if free_at is not None else None,
        )
        rows = _union_rows(parts)
    hours = _Hours({}, {})
    rules: list[OpeningHoursRule] = []
    exceptions: list[OpeningHoursException] = []
    for n, row in rows:
        if n == _RULE_ROW:
            opens, closes, valid_from, valid_to = row[2].split(",")
            rules.append(
                OpeningHoursRule(
                    weekday=row[0],
                    opens=dt.time.fromisoformat(opens),
                    closes=dt.time.fromisoformat(closes),
                    valid_from=dt.date.fromisoformat(valid_from) if valid_from else None,
                    valid_to=dt.date.fromisoformat(valid_to) if valid_to else None,
                )
            )
            continue
        if n == _EXCEPTION_ROW:
            day, closed, opens, closes = row[2].split(",")
            exceptions.append(
                OpeningHoursException(
                    date=dt.date.fromisoformat(day),
                    is_closed=closed == "t",
                    opens=dt.time.fromisoformat(opens) if opens else None,
                    closes=dt.time.fromisoformat(closes) if closes else None,
                )
            )
            continue
        kind, group_agency, group_codes = kinds[n]
        if kind == "booth":
            booth_id, resource_id, name = row[:3]
            key = resource_id if resource_id is not None else -booth_id
            if key not in exclude:
                booths_found.append(_Candidate(key, "booth", booth_id, name))
            continue
        pk, resource_id, full_name = row[:3]
        if resource_id in exclude:
            continue
        if group_codes and not all(c in _languages(row[3]) for c in group_codes):
            continue
        if with_rules:
            hours.add(resource_id, row[3])
        name = full_name if show_names else ""
        if kind == "expert":
            experts_by_agency[group_agency].append(  # type: ignore[index]
                _Candidate(resource_id, "expert", pk, group_agency, name)
            )
        else:
            interpreters.append(_Candidate(resource_id, "interpreter", pk, name))
    return _Candidates(
        booths_found,
        experts_by_agency,
        interpreters,
        hours if with_rules else None,
        (rules, exceptions) if hours_days is not None and with_rules and free_at is None else None,
    )


def _visiting_intervals(request: SlotRequest, days: list[dt.date]) -> dict[int, list[Interval]]:
    """For a visiting official's appointment: per expert's resource, the times they visit the point."""
    if request.channel != Channel.VISITING_OFFICIAL or not days:
        return {}
    links = Expert.visits.through.objects.filter(  # type: ignore[attr-defined]
        visitingschedule__point=request.point, visitingschedule__agency_id__in=request.agency_ids
    ).select_related("visitingschedule", "expert")
    out: dict[int, list[Interval]] = defaultdict(list)
    for link in links:
        schedule = link.visitingschedule
        for day in visiting_schedule_recurrence(schedule=schedule, start=days[0], end=days[-1]):
            out[link.expert.resource_id].append(
                (_instant(day, schedule.starts), _instant(day, schedule.ends))
            )
    return {k: _merge(v) for k, v in out.items()}


#: No reservation holds its resource longer than this (a service lasts at most 480 minutes, and the
#: buffer after it is minutes): reads by time start from this much before the window, so that the
#: index on (resource, starts, holds_until) is read for the window only and not for all of the history.
LONGEST_HOLD = dt.timedelta(days=1)


def _held_between(ids: list[int], start: dt.datetime, end: dt.datetime) -> QuerySet[Reservation]:
    """The active reservations of the resources ``ids`` that hold them at some time in ``[start, end)``."""
    return Reservation.objects.filter(
        resource_id__any_of=_Ids(ids),
        active=True,
        starts__gte=start - LONGEST_HOLD,
        starts__lt=end,
        holds_until__gt=start,
    )


@dataclass
class _Window:
    """The window being searched, and the reading of reservations for candidates not read yet."""

    start: dt.datetime
    end: dt.datetime
    ignore_appointment_id: int | None
    absences: dict[int, list[Interval]]

    def read(
        self, candidates: list[_Candidate], rows: list[tuple[int, dt.datetime, dt.datetime]] | None = None
    ) -> None:
        """Read the reservations of ``candidates`` in the window (one query, unless ``rows`` holds them
        already) and mark them read."""
        wanted = [c for c in candidates if not c.read]
        if not wanted:
            return
        busy: dict[int, list[Interval]] = defaultdict(list)
        ids = [c.resource_id for c in wanted if c.resource_id > 0]
        if rows is None and ids:
            reservations = _held_between(ids, self.start, self.end)
            if self.ignore_appointment_id is not None:
                reservations = reservations.exclude(appointment_id=self.ignore_appointment_id)
            rows = list(reservations.order_by().values_list("resource_id", "starts", "holds_until"))
        for rid, lo, hi in rows or ():
            busy[rid].append((lo, hi))
        for c in wanted:
            merged = _merge([*busy.get(c.resource_id, ()), *self.absences.get(c.resource_id, ())])
            c.busy_starts = [lo for lo, _hi in merged]
            c.busy_ends = [hi for _lo, hi in merged]
            c.read = True


#: A window at most this long (the booking's check of one start time) reads the reservations of every
#: candidate at once: they are few, and one query is saved.
_READ_ALL_WITHIN = dt.timedelta(days=1)


type _Rule = tuple[int, dt.time, dt.time, dt.date | None, dt.date | None]


@dataclass
class _Hours:
    """The weekly working-hours rules of the people in a search, read once for all of its windows:
    each person's pattern (a key) and the rules of each pattern. Most people share a few patterns, whose
    intervals are then made once per window."""

    pattern_of: dict[int, object]
    rules: dict[object, list[_Rule]]

    def add(self, resource_id: int, text: str | None) -> None:
        """A person's rules as PostgreSQL aggregates them (see _RULES_OF_PERSON): the text is the key."""
        if not text:
            return
        if text not in self.rules:
            self.rules[text] = _parse_rules(text)
        self.pattern_of[resource_id] = text

    def intervals(self, days: list[dt.date]) -> Callable[[int], list[Interval]]:
        """For one window of ``days``: a person's (resource's) available intervals, shared by pattern."""
        made: dict[object, list[Interval]] = {}

        def of(resource_id: int) -> list[Interval]:
            key = self.pattern_of.get(resource_id, ())
            if key not in made:
                made[key] = _rule_intervals(self.rules.get(key, []), days)
            return made[key]

        return of


def _working_hours(people: list[int], days: list[dt.date]) -> _Hours:
    """The working-hours rules of ``people`` (resource ids) on the weekdays of ``days``, in one query
    (where the candidates' query did not bring them: see _RULES_OF_PERSON)."""
    weekdays = sorted({d.weekday() for d in days})
    hours = _Hours({}, {})
    if not people:
        return hours
    own: dict[int, list[_Rule]] = defaultdict(list)
    for rid, *rule in (
        WorkingHours.objects.filter(resource_id__any_of=_Ids(people), weekday__in=weekdays)
        .order_by()
        .values_list("resource_id", "weekday", "starts", "ends", "valid_from", "valid_to")
    ):
        own[rid].append(tuple(rule))  # type: ignore[arg-type]
    for rid, rules in own.items():
        key = tuple(sorted(rules, key=lambda r: (r[0], r[1], r[2], r[3] or dt.date.min, r[4] or dt.date.max)))
        hours.pattern_of[rid] = key
        hours.rules[key] = list(key)
    return hours


def _parse_rules(text: str) -> list[_Rule]:
    """Rules aggregated by PostgreSQL as ``weekday,starts,ends,valid_from,valid_to;...``."""
    rules: list[_Rule] = []
    for rule in text.split(";"):
        weekday, starts, ends, valid_from, valid_to = rule.split(",")
        rules.append(
            (
                int(weekday),
                dt.time.fromisoformat(starts),
                dt.time.fromisoformat(ends),
                dt.date.fromisoformat(valid_from) if valid_from else None,
                dt.date.fromisoformat(valid_to) if valid_to else None,
            )
        )
    return rules


#: A person's weekly working-hours rules as one text, in one order (so that people with the same rules
#: have the same text), read beside them in the candidates' query on PostgreSQL.
_RULES_OF_PERSON = (
    "(SELECT string_agg(concat_ws(',', w.weekday, w.starts, w.ends, coalesce(w.valid_from::text, ''),"
    " coalesce(w.valid_to::text, '')), ';' ORDER BY w.weekday, w.starts, w.ends, w.valid_from, w.valid_to)"
    " FROM scheduling_workinghours w WHERE w.resource_id = q.resource_id)"
)


#: The window of a search on PostgreSQL in one round trip: each candidate's load (its reservations and
#: absences in the window, counted by the database), the absences, and the reservations of the
#: ``_FIRST_READ`` least loaded candidates of each group who work in the window (ranked by load, then
#: resource, as the search orders them). Parameters: every candidate's resource id, the ranked ones with
#: their group's number, how many of each group to read, the window, and an appointment to leave out.
_WINDOW_SQL = f"""
WITH held AS MATERIALIZED (
    SELECT r.resource_id, r.starts, r.holds_until FROM {Reservation._meta.db_table} r
    WHERE r.resource_id = ANY(%(ids)s::bigint[]) AND r.active
      AND r.starts >= %(reach)s AND r.starts < %(end)s AND r.holds_until > %(start)s
      AND (%(ignore)s::bigint IS NULL OR r.appointment_id <> %(ignore)s::bigint)
), absent AS MATERIALIZED (
    SELECT a.resource_id, a.starts, a.ends FROM {Absence._meta.db_table} a
    WHERE a.resource_id = ANY(%(ids)s::bigint[]) AND a.starts < %(end)s AND a.ends > %(start)s
), load AS MATERIALIZED (
    SELECT x.resource_id, count(*) AS n
    FROM (SELECT resource_id FROM held UNION ALL SELECT resource_id FROM absent) x
    GROUP BY x.resource_id
), first AS MATERIALIZED (
    SELECT k.rid FROM (
        SELECT w.rid, row_number() OVER (PARTITION BY w.grp ORDER BY coalesce(l.n, 0), w.rid) AS place
        FROM unnest(%(ranked)s::bigint[], %(groups)s::int[]) AS w(rid, grp)
        LEFT JOIN load l ON l.resource_id = w.rid
    ) k WHERE k.place <= %(first)s
)
SELECT 0, resource_id, NULL::bigint, starts, ends FROM absent
UNION ALL SELECT 1, resource_id, n, NULL, NULL FROM load
UNION ALL SELECT 2, rid, NULL, NULL, NULL FROM first
UNION ALL SELECT 3, h.resource_id, NULL, h.starts, h.holds_until FROM held h JOIN first f ON f.rid = h.resource_id
"""  # noqa: S608  # nosec B608: table names of our own models; the values are parameters


def _ids_param(ids: Iterable[int]) -> str:
    """A ``bigint[]`` or ``int[]`` parameter as its text (one parameter, whatever the number)."""
    return "{" + ",".join(map(str, ids)) + "}"


def _load_window(
    candidates: _Candidates,
    request: SlotRequest,
    start: dt.datetime,
    end: dt.datetime,
    ignore_appointment_id: int | None,
    hours: _Hours,
) -> _Window:
    """Fill each candidate's available times and load (reservations and absences) for ``[start, end)``,
    order each group by load, and read the busy times of the least loaded few of each group who work in
    the window: a few queries whatever the number of candidates and reservations. On PostgreSQL all of
    it is one round trip (``_WINDOW_SQL``: the database counts the loads and returns the reservations of
    the least loaded only); elsewhere the absences, the loads and the reservations of the least loaded
    are two. ``hours`` are the people's working hours, read once per search."""
    everyone = candidates.all()
    days = _local_days(start, end)
    visits = _visiting_intervals(request, days)
    visiting = request.channel == Channel.VISITING_OFFICIAL
    works_in = hours.intervals(days)
    # Everyone with one weekly pattern shares its (read-only) lists, made once per pattern.
    shared: dict[object, tuple[list[dt.datetime], list[dt.datetime]]] = {}
    pattern_of = hours.pattern_of
    whole = ([start], [end])  # a booth is there whenever the point is open
    for c in everyone:
        c.read = False
        c.busy_starts, c.busy_ends = [], []
        if c.kind == "booth":
            c.free_starts, c.free_ends = whole
            continue
        if visiting and c.kind == "expert":
            free = _intersect(works_in(c.resource_id), visits.get(c.resource_id, []))
            c.free_starts, c.free_ends = [lo for lo, _hi in free], [hi for _lo, hi in free]
            continue
        key = pattern_of.get(c.resource_id, ())
        lists = shared.get(key)
        if lists is None:
            free = works_in(c.resource_id)
            lists = shared[key] = ([lo for lo, _hi in free], [hi for _lo, hi in free])
        c.free_starts, c.free_ends = lists
    ids = [c.resource_id for c in everyone if c.resource_id > 0]
    absences: dict[int, list[Interval]] = defaultdict(list)
    load: dict[int, int] = defaultdict(int)
    short = end - start <= _READ_ALL_WITHIN
    rows: list[tuple[int, dt.datetime, dt.datetime]] = []
    read_by_database: set[int] = set()
    if ids and connection.vendor == "postgresql":
        ranked: list[int] = []
        groups: list[int] = []
        for n, group in enumerate(candidates.groups()):
            # A short window reads everyone; otherwise the least loaded of those who work in it.
            for c in group:
                if c.resource_id > 0 and (short or c.free_starts):
                    ranked.append(c.resource_id)
                    groups.append(n)
        params: dict[str, Any] = {
            "ids": _ids_param(ids),
            "ranked": _ids_param(ranked),
            "groups": _ids_param(groups),
            "first": len(ranked) if short else _FIRST_READ,
            "reach": start - LONGEST_HOLD,
            "start": start,
            "end": end,
            "ignore": ignore_appointment_id,
        }
        with connection.cursor() as cursor:
            cursor.execute(_WINDOW_SQL, params)
            for part, rid, n, lo, hi in cursor.fetchall():
                if part == 0:
                    absences[rid].append((lo, hi))
                elif part == 1:
                    load[rid] = n
                elif part == 2:
                    read_by_database.add(rid)
                else:
                    rows.append((rid, lo, hi))
    elif ids:
        absent = (
            Absence.objects.filter(resource_id__any_of=_Ids(ids), starts__lt=end, ends__gt=start)
            .order_by()
            .values_list("resource_id", "starts", "ends")
        )
        reservations = _held_between(ids, start, end)
        if ignore_appointment_id is not None:
            reservations = reservations.exclude(appointment_id=ignore_appointment_id)
        for rid, lo, hi in absent:
            absences[rid].append((lo, hi))
            load[rid] += 1
        if short:
            rows = list(reservations.order_by().values_list("resource_id", "starts", "holds_until"))
            for rid, _lo, _hi in rows:
                load[rid] += 1
        else:
            for rid, count in (
                reservations.order_by()
                .values_list("resource_id")
                .annotate(n=Count("pk"))
                .values_list("resource_id", "n")
            ):
                load[rid] += count
    for c in everyone:
        c.load = load.get(c.resource_id, 0)
    window = _Window(start, end, ignore_appointment_id, absences)
    first: list[_Candidate] = []
    for group in candidates.groups():
        # The least loaded first: equally suitable experts share the work.
        group.sort(key=lambda c: (c.load, c.resource_id))
        first += [c for c in group if c.free_starts][:_FIRST_READ]
    if short:
        window.read(everyone, rows)
    elif read_by_database:
        # The database returned the reservations of these (the same least loaded): read without a query.
        window.read([c for c in everyone if c.resource_id in read_by_database], rows)
        window.read(first)
    else:
        window.read(first)
    return window


def _pick(
    candidates: list[_Candidate], start: dt.datetime, end: dt.datetime, hold: dt.datetime, window: _Window
) -> _Candidate | None:
    # The least loaded first: equally suitable experts share the work. A candidate not read yet who
    # works then makes the rest of the group read at once.
    for c in candidates:
        if not c.read:
            if not c.works(start, end):
                continue
            window.read(candidates)
        if c.can_take(start, end, hold):
            return c
    return None


def _grid_start(at: dt.datetime, step: dt.timedelta) -> dt.datetime:
    """``at`` rounded up to the slot grid (whole steps from midnight UTC: Finland's offsets are whole
    hours, so this is the same grid in local time)."""
    at = at.astimezone(dt.UTC)
    midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = -(-(at - midnight) // step)
    return midnight + steps * step


def _slots_in_window(
    candidates: _Candidates,
    request: SlotRequest,
    open_intervals: list[Interval],
    earliest: dt.datetime,
    limit: int,
    step: dt.timedelta,
    buffer: dt.timedelta,
    window: _Window,
) -> list[Slot]:
    duration = request.duration
    slots: list[Slot] = []
    for opens, closes in open_intervals:
        t = _grid_start(max(opens, earliest), step)
        while t + duration <= closes:
            end = t + duration
            hold = end + buffer
            booth = _pick(candidates.booths, t, end, hold, window) if request.needs_booth else None
            interpreter = (
                _pick(candidates.interpreters, t, end, hold, window) if request.interpreter_language else None
            )
            experts = [_pick(group, t, end, hold, window) for group in candidates.experts_by_agency.values()]
            if (
                (booth or not request.needs_booth)
                and (interpreter or not request.interpreter_language)
                and all(experts)
            ):
                slots.append(
                    Slot(
                        start=t,
                        end=end,
                        booth=booth.choice if booth else None,  # type: ignore[arg-type]
                        experts=tuple(e.choice for e in experts if e),  # type: ignore[misc]
                        interpreter=interpreter.choice if interpreter else None,  # type: ignore[arg-type]
                    )
                )
                if len(slots) >= limit:
                    return slots
            t += step
    return slots


def _show_names(viewer: Viewer) -> bool:
    """Staff see who would take a slot; the public sees the agencies only."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    scope = user_scope(user=viewer)  # type: ignore[arg-type]
    return scope.is_administrator or bool(scope.roles)


def earliest_start(*, viewer: Viewer, now: dt.datetime | None = None) -> dt.datetime:
    """The earliest time ``viewer`` may book: staff from now, customers after the minimum notice."""
    now = now or timezone.now()
    if _is_staff(viewer):
        return now
    return now + dt.timedelta(minutes=settings.SCHEDULING_MIN_NOTICE_MINUTES)


def _is_staff(viewer: Viewer) -> bool:
    if not getattr(viewer, "is_authenticated", False):
        return False
    scope = user_scope(user=viewer)  # type: ignore[arg-type]
    return scope.is_administrator or scope.has_role(Role.ADVISOR, Role.POINT_MANAGER, Role.AGENCY_COORDINATOR)


def slot_search(
    *,
    viewer: Viewer,
    request: SlotRequest,
    start: dt.datetime,
    end: dt.datetime,
    limit: int = 20,
    now: dt.datetime | None = None,
    ignore_appointment_id: int | None = None,
    exclude_resource_ids: Iterable[int] = (),
) -> list[Slot]:
    """The first ``limit`` free start times from ``start`` to ``end`` for ``request``, soonest first,
    each with a booth (remote meetings), one expert of each agency and the interpreter (when asked).

    Respects the point's opening hours and Finnish public holidays, the visiting days (a visiting
    official's appointment), working hours, absences, active reservations with the buffer after each,
    the minimum notice for customers (staff may book from now on) and the horizon. Among equally
    suitable people it takes the one with the fewest reservations in the window. ``viewer`` decides the
    notice and whether people's names are shown (staff) or only their agencies (the public).
    ``ignore_appointment_id`` leaves that appointment's own reservations out (moving it)."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("slot_search needs timezone-aware start and end.")
    now = now or timezone.now()
    earliest = max(start, earliest_start(viewer=viewer, now=now))
    end = min(end, now + dt.timedelta(days=settings.SCHEDULING_HORIZON_DAYS))
    if earliest >= end or limit < 1:
        return []
    step = dt.timedelta(minutes=settings.SCHEDULING_SLOT_STEP_MINUTES)
    buffer = dt.timedelta(minutes=settings.SCHEDULING_BUFFER_MINUTES)
    # A meeting that starts before ``end`` may run past it.
    open_end = end + request.duration
    candidates = _candidates(
        request,
        _show_names(viewer),
        frozenset(exclude_resource_ids),
        hours_days=(earliest.astimezone(HELSINKI).date(), open_end.astimezone(HELSINKI).date()),
    )
    if (request.needs_booth and not candidates.booths) or (
        request.interpreter_language and not candidates.interpreters
    ):
        return []
    if not all(candidates.experts_by_agency.values()):
        return []
    if candidates.point_hours is not None:
        rules, exceptions = candidates.point_hours
        open_all = open_intervals_from_hours(rules=rules, exceptions=exceptions, start=earliest, end=open_end)
    else:
        open_all = point_open_intervals(point=request.point, start=earliest, end=open_end)
    # The working hours of everyone, once for all the windows.
    hours = candidates.hours or _working_hours(
        [c.resource_id for c in candidates.all() if c.kind != "booth"],
        _local_days(earliest, end + request.duration + buffer),
    )
    slots: list[Slot] = []
    window_start = earliest
    for days in (2, 7, MAX_SEARCH_DAYS + 1):
        if window_start >= end:
            break
        window_end = min(end, window_start + dt.timedelta(days=days))
        # A meeting that starts in the window may run past its end: read a little beyond it.
        read_end = window_end + request.duration + buffer
        window = _load_window(candidates, request, window_start, read_end, ignore_appointment_id, hours)
        opens = [(max(lo, window_start), min(hi, window_end + request.duration)) for lo, hi in open_all]
        opens = [(lo, hi) for lo, hi in opens if lo < hi and lo < window_end]
        for slot in _slots_in_window(
            candidates, request, opens, window_start, limit - len(slots), step, buffer, window
        ):
            if slot.start < window_end:
                slots.append(slot)
        if len(slots) >= limit:
            break
        window_start = window_end
    return slots[:limit]


def slot_at(
    *,
    viewer: Viewer,
    request: SlotRequest,
    start: dt.datetime,
    ignore_appointment_id: int | None = None,
    exclude_resource_ids: Iterable[int] = (),
) -> Slot | None:
    """The resources that would hold a meeting of ``request`` starting exactly at ``start`` (a booth,
    one expert of each agency, the interpreter), or None when one kind has nobody free then.

    The booking's check of the one time it was asked for, not a search: one query for every kind of
    resource (the suitable ones with nothing held and no absence from the start to the end of the
    buffer after the meeting; on PostgreSQL with the people's working hours, elsewhere one more
    query for those). It does not look at the point's opening hours,
    the notice or the horizon (:func:`slot_unavailable_reason` and the booking's own checks do). Among
    equally suitable people it takes the same one as :func:`slot_search` would for a window of that
    time only: the first by resource. On PostgreSQL it reads the first few free people of each kind
    by resource, and everyone free only when none of those works then."""
    end = start + request.duration
    hold = end + dt.timedelta(minutes=settings.SCHEDULING_BUFFER_MINUTES)
    exclude = frozenset(exclude_resource_ids)
    # The first few only where the database filters by language, and when nobody is left out by the
    # caller (a retry after a lost race): else every free person is read at once.
    cut = _FIRST_FREE if connection.features.supports_json_field_contains and not exclude else None
    free_at = _FreeAt(start=start, hold=hold, ignore_appointment_id=ignore_appointment_id, first=cut)
    slot = _slot_at_reading(request, viewer, start, end, exclude, free_at)
    if slot is _READ_ALL:
        # Among the first free people of a kind nobody works then: ask again with all of them.
        slot = _slot_at_reading(request, viewer, start, end, exclude, replace(free_at, first=None))
    return slot  # type: ignore[return-value]


#: A booking's check of one time reads the first this many free people of each kind by resource (the
#: first who works then is nearly always among them), not everyone free then.
_FIRST_FREE = 12
_READ_ALL = object()


def _slot_at_reading(
    request: SlotRequest,
    viewer: Viewer,
    start: dt.datetime,
    end: dt.datetime,
    exclude: frozenset[int],
    free_at: _FreeAt,
) -> Slot | object | None:
    """:func:`slot_at` with ``free_at``'s reading; ``_READ_ALL`` when a kind's first ``free_at.first``
    free people were read and none of them works then (the rest may)."""
    candidates = _candidates(request, _show_names(viewer), exclude, free_at)
    if (request.needs_booth and not candidates.booths) or (
        request.interpreter_language and not candidates.interpreters
    ):
        return None
    if not all(candidates.experts_by_agency.values()):
        return None
    days = _local_days(start, end)
    hours = candidates.hours or _working_hours(
        [c.resource_id for c in candidates.all() if c.kind != "booth"], days
    )
    works_in = hours.intervals(days)
    visits = _visiting_intervals(request, days)
    visiting = request.channel == Channel.VISITING_OFFICIAL

    def works(c: _Candidate) -> bool:
        free = works_in(c.resource_id)
        if visiting and c.kind == "expert":
            free = _intersect(free, visits.get(c.resource_id, []))
        return any(lo <= start and end <= hi for lo, hi in free)

    def first(group: list[_Candidate], people: bool = True) -> _Candidate | None:
        return next((c for c in sorted(group, key=lambda c: c.resource_id) if not people or works(c)), None)

    booth = first(candidates.booths, people=False) if request.needs_booth else None
    interpreter = first(candidates.interpreters) if request.interpreter_language else None
    experts = [first(group) for group in candidates.experts_by_agency.values()]
    cut = free_at.first
    if cut is not None and (
        (request.interpreter_language and interpreter is None and len(candidates.interpreters) >= cut)
        or any(
            e is None and len(g) >= cut
            for e, g in zip(experts, candidates.experts_by_agency.values(), strict=True)
        )
    ):
        return _READ_ALL
    if (request.interpreter_language and interpreter is None) or not all(experts):
        return None
    return Slot(
        start=start,
        end=end,
        booth=booth.choice if booth else None,  # type: ignore[arg-type]
        experts=tuple(e.choice for e in experts if e),  # type: ignore[misc]
        interpreter=interpreter.choice if interpreter else None,  # type: ignore[arg-type]
    )


def slot_unavailable_reason(*, request: SlotRequest, start: dt.datetime) -> ValidationError | None:
    """Why no meeting of ``request`` can start at ``start`` whatever is booked: the point is closed
    then (a public holiday, outside its hours), or no official of the agency visits then. None when
    the point is open and (for a visiting official) visited for the whole meeting."""
    end = start + request.duration
    local_day = start.astimezone(HELSINKI).date()
    intervals = point_open_intervals(point=request.point, start=start, end=end)
    if not (intervals and intervals[0][0] <= start and intervals[0][1] >= end):
        holiday = finnish_holiday(local_day)
        if holiday:
            return ValidationError(
                _("The point is closed on %(day)s (%(holiday)s). Choose another day.")
                % {"day": local_day.strftime("%d.%m.%Y"), "holiday": holiday},
                code="holiday",
            )
        return ValidationError(
            _(
                "The point is not open for the whole meeting at that time. Choose a time within its opening hours."
            ),
            code="point_closed",
        )
    if request.channel == Channel.VISITING_OFFICIAL:
        for agency_id in request.agency_ids:
            schedules = VisitingSchedule.objects.filter(point=request.point, agency_id=agency_id)
            visited = False
            for schedule in schedules:
                if local_day in visiting_schedule_recurrence(
                    schedule=schedule, start=local_day, end=local_day
                ):
                    visited = visited or (
                        _instant(local_day, schedule.starts) <= start
                        and end <= _instant(local_day, schedule.ends)
                    )
            if not visited:
                return ValidationError(
                    _(
                        "No official of the agency visits the point at that time. Choose a time on a visiting day."
                    ),
                    code="no_visit",
                )
    return None


# --- appointments ---------------------------------------------------------------------------------


def appointment_code_normalise(code: str) -> str | None:
    """The code as stored (capitals, without spaces or dashes), or None when it cannot be a code."""
    cleaned = re.sub(r"[\s-]", "", code or "").upper()
    return cleaned if _CODE_RE.match(cleaned) else None


def _phone_digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("358"):
        digits = "0" + digits[3:]
    return digits


def appointment_get_by_code(*, code: str, email: str = "", phone: str = "") -> Appointment | None:
    """The appointment with ``code`` whose customer's email or phone is the one given; None for an
    unknown code, a wrong contact or no contact at all (the same answer, so that a caller cannot tell
    whether a code exists). Raises ValidationError(code="malformed_code") for something that cannot be
    a code at all."""
    normalised = appointment_code_normalise(code)
    if normalised is None:
        raise ValidationError(
            _("A confirmation code has eight letters and digits, such as KX7M-PQ3A."), code="malformed_code"
        )
    # The same queries for an unknown code and a wrong contact; the services only once it is theirs.
    appointment = (
        Appointment.objects.filter(code=normalised, anonymised_at__isnull=True)
        .select_related("point")
        .first()
    )
    if appointment is None:
        return None
    email_ok = (
        bool(email)
        and bool(appointment.customer_email)
        and (appointment.customer_email.strip().lower() == email.strip().lower())
    )
    phone_ok = bool(_phone_digits(phone)) and _phone_digits(phone) == _phone_digits(
        appointment.customer_phone
    )
    if not (email_ok or phone_ok):
        return None
    prefetch_related_objects([appointment], "services__agency")
    return appointment


def appointments_visible(*, viewer: Viewer) -> QuerySet[Appointment]:
    """The appointments ``viewer`` may see: an administrator all; an advisor or point manager their
    points'; an agency coordinator those with a service of their agency; an expert or an interpreter
    those they are booked in (now or before a change); everyone else none."""
    if not getattr(viewer, "is_authenticated", False):
        return Appointment.objects.none()
    scope = user_scope(user=viewer)  # type: ignore[arg-type]
    if scope.is_administrator:
        return Appointment.objects.all()
    condition = Q(pk__in=[])
    points = scope.points_for(Role.ADVISOR, Role.POINT_MANAGER)
    if points:
        condition |= Q(point_id__in=points)
    agencies = scope.agencies_for(Role.AGENCY_COORDINATOR)
    if agencies:
        condition |= Q(
            pk__in=Appointment.services.through.objects.filter(service__agency_id__in=agencies).values(
                "appointment_id"
            )
        )
    if scope.has_role(Role.EXPERT, Role.INTERPRETER):
        condition |= Q(
            pk__in=Reservation.objects.filter(
                Q(resource__expert__user=viewer) | Q(resource__interpreter__user=viewer)
            ).values("appointment_id")
        )
    return Appointment.objects.filter(condition)


def appointment_access(*, viewer: Viewer, pk: int) -> Appointment:
    """The appointment ``pk`` if ``viewer`` may see it; Appointment.DoesNotExist otherwise (a row outside
    the viewer's scope does not exist for them)."""
    return (
        appointments_visible(viewer=viewer)
        .select_related("point")
        .prefetch_related("services__agency")
        .get(pk=pk)
    )


def appointment_resources(*, appointment: Appointment) -> list[Reservation]:
    """The reservations an appointment holds now, with their people and booths."""
    return list(
        appointment.reservations.filter(active=True)
        .select_related(
            "resource__booth",
            "resource__expert__user",
            "resource__expert__agency",
            "resource__interpreter__user",
        )
        .order_by("role", "pk")
    )


def appointment_is_active(appointment: Appointment) -> bool:
    return appointment.state in ACTIVE_STATES


def booths_of_point(*, point: ServicePoint) -> QuerySet[Booth]:
    return Booth.objects.filter(point=point, is_active=True).order_by("name")


def appointments_with_contact(*, viewer: Viewer, appointments: Sequence[Appointment]) -> set[int]:
    """Of ``appointments`` (visible to ``viewer``), the ids whose customer's contact ``viewer`` needs:
    those at a point where they are an advisor or a point manager, and those they are booked in as the
    expert or the interpreter. Agency coordinators and administrators see appointments without it."""
    if not appointments or not getattr(viewer, "is_authenticated", False):
        return set()
    scope = user_scope(user=viewer)  # type: ignore[arg-type]
    points = scope.points_for(Role.ADVISOR, Role.POINT_MANAGER)
    ids = {a.pk for a in appointments if a.point_id in points}
    if scope.has_role(Role.EXPERT, Role.INTERPRETER):
        ids |= set(
            Reservation.objects.filter(
                Q(resource__expert__user=viewer) | Q(resource__interpreter__user=viewer),  # type: ignore[misc]
                appointment_id__in=[a.pk for a in appointments],
            ).values_list("appointment_id", flat=True)
        )
    return ids


# --- staff pages: calendars, availability, a point's day (each scoped by the viewer) -------------


def day_bounds(day: dt.date) -> Interval:
    """The instants that begin and end ``day`` in Helsinki: 23 or 25 hours on the days of a clock
    change."""
    start = dt.datetime.combine(day, dt.time(0), HELSINKI)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), HELSINKI)
    return start, end


def own_resources(*, viewer: Viewer) -> list[Resource]:
    """The viewer's own bookable calendars: as an expert (one per agency) and as an interpreter."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(
        Resource.objects.filter(Q(expert__user=viewer) | Q(interpreter__user=viewer))
        .select_related("expert__agency", "expert__user", "interpreter__user")
        .order_by("pk")
    )


def availability_people(*, viewer: Viewer) -> QuerySet[Resource]:
    """The people whose working hours and absences ``viewer`` may edit: their own; an agency
    coordinator's agencies' experts; an administrator everyone's."""
    if not getattr(viewer, "is_authenticated", False):
        return Resource.objects.none()
    base = Resource.objects.exclude(kind="booth").select_related(
        "expert__agency", "expert__user", "interpreter__user"
    )
    scope = user_scope(user=viewer)  # type: ignore[arg-type]
    if scope.is_administrator:
        return base.order_by("kind", "pk")
    condition = Q(expert__user=viewer) | Q(interpreter__user=viewer)
    agencies = scope.agencies_for(Role.AGENCY_COORDINATOR)
    if agencies:
        condition |= Q(expert__agency_id__in=agencies)
    return base.filter(condition).order_by("kind", "pk")


def availability_resource(*, viewer: Viewer, resource_id: int) -> Resource:
    """The person ``resource_id`` if ``viewer`` may edit their availability; Resource.DoesNotExist
    otherwise."""
    return availability_people(viewer=viewer).get(pk=resource_id)


def resource_label(resource: Resource) -> str:
    """A person's name, and their agency for an expert."""
    expert = getattr(resource, "expert", None)
    if expert is not None:
        name = expert.user.get_full_name() or expert.user.get_username()
        return f"{name} ({expert.agency.name})"
    interpreter = getattr(resource, "interpreter", None)
    if interpreter is not None:
        return interpreter.user.get_full_name() or interpreter.user.get_username()
    return str(resource)


def working_hours_of(*, resource: Resource) -> list[WorkingHours]:
    return list(WorkingHours.objects.filter(resource=resource).order_by("weekday", "starts"))


def working_hours_on(rules: Iterable[WorkingHours], day: dt.date) -> list[WorkingHours]:
    """The rules that apply on ``day`` (its weekday, within their validity)."""
    return [
        r
        for r in rules
        if r.weekday == day.weekday()
        and (r.valid_from is None or r.valid_from <= day)
        and (r.valid_to is None or day <= r.valid_to)
    ]


def absences_of(
    *, resource: Resource, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> list[Absence]:
    rows = Absence.objects.filter(resource=resource)
    if start is not None:
        rows = rows.filter(ends__gt=start)
    if end is not None:
        rows = rows.filter(starts__lt=end)
    return list(rows.order_by("starts"))


def absence_clashes(*, absence: Absence) -> list[Appointment]:
    """The active appointments that hold the absent person during the absence."""
    return list(
        Appointment.objects.filter(
            reservations__resource_id=absence.resource_id,
            reservations__active=True,
            reservations__starts__lt=absence.ends,
            reservations__ends__gt=absence.starts,
        )
        .distinct()
        .select_related("point")
        .order_by("starts")
    )


def calendar_reservations(
    *, viewer: Viewer, resources: Sequence[Resource], start: dt.datetime, end: dt.datetime
) -> list[Reservation]:
    """The reservations of the viewer's own ``resources`` between ``start`` and ``end``: the active
    ones, and those of appointments that took place or were missed; with each appointment's point,
    services and everyone booked in it."""
    own = {r.pk for r in own_resources(viewer=viewer)}
    ids = [r.pk for r in resources if r.pk in own]
    if not ids:
        return []
    return list(
        Reservation.objects.filter(resource_id__in=ids, starts__lt=end, ends__gt=start)
        .filter(
            Q(active=True)
            | Q(
                appointment__state__in=[AppointmentState.DONE, AppointmentState.NO_SHOW],
                starts=F("appointment__starts"),
            )
        )
        .select_related("appointment__point")
        .prefetch_related(
            "appointment__services__agency",
            Prefetch(
                "appointment__reservations",
                queryset=Reservation.objects.filter(starts=F("appointment__starts")).select_related(
                    "resource__booth",
                    "resource__expert__user",
                    "resource__expert__agency",
                    "resource__interpreter__user",
                ),
                to_attr="held",
            ),
        )
        .order_by("starts", "pk")
    )


def point_day_points(*, viewer: Viewer) -> QuerySet[ServicePoint]:
    """The points whose day of booths ``viewer`` may see: an advisor's and a point manager's own; an
    administrator's every point."""
    if not getattr(viewer, "is_authenticated", False):
        return ServicePoint.objects.none()
    scope = user_scope(user=viewer)  # type: ignore[arg-type]
    if scope.is_administrator:
        return ServicePoint.objects.order_by("name")
    return ServicePoint.objects.filter(pk__in=scope.points_for(Role.ADVISOR, Role.POINT_MANAGER)).order_by(
        "name"
    )


def point_day_reservations(
    *, viewer: Viewer, point: ServicePoint, start: dt.datetime, end: dt.datetime
) -> list[Reservation]:
    """The active booth reservations of ``point`` between ``start`` and ``end`` (nothing for a point
    outside the viewer's)."""
    if not point_day_points(viewer=viewer).filter(pk=point.pk).exists():
        return []
    return list(
        Reservation.objects.filter(
            active=True, role="booth", resource__booth__point=point, starts__lt=end, ends__gt=start
        )
        .select_related("appointment", "resource__booth")
        .prefetch_related("appointment__services")
        .order_by("starts")
    )


def point_day_visits(
    *, viewer: Viewer, point: ServicePoint, start: dt.datetime, end: dt.datetime
) -> list[Appointment]:
    """The day's visiting-official appointments at ``point`` that are not cancelled."""
    if not point_day_points(viewer=viewer).filter(pk=point.pk).exists():
        return []
    return list(
        Appointment.objects.filter(
            point=point, channel=Channel.VISITING_OFFICIAL, starts__lt=end, ends__gt=start
        )
        .exclude(state=AppointmentState.CANCELLED)
        .prefetch_related("services")
        .order_by("starts")
    )


def appointment_contact_visible(*, viewer: Viewer, appointment: Appointment) -> bool:
    """Whether ``viewer`` needs the customer's name and contact on ``appointment``: the rule of
    :func:`appointments_with_contact` for one appointment."""
    return appointment.pk in appointments_with_contact(viewer=viewer, appointments=[appointment])


def appointment_history(*, appointment: Appointment) -> list[AppointmentChange]:
    return list(appointment.changes.select_related("by").order_by("occurred_at", "pk"))
