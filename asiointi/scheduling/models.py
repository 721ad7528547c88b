"""Bookable resources (experts, interpreters, booths), their availability, and appointments that hold
several of them at once through one reservation each.

Integrity: an active reservation holds its resource from ``starts`` to ``holds_until`` (the end of the
meeting plus the buffer between meetings). No two active reservations of one resource overlap: on
PostgreSQL an exclusion constraint (``reservation_no_overlap``, migration 0002) forbids it; on SQLite the
booking service checks inside its write transaction, which takes the database's write lock first
(``transaction_mode=IMMEDIATE``), so two bookings never interleave."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from asiointi.catalogue.models import Channel, Service
from asiointi.core.validators import single_line_text
from asiointi.network.models import Agency, Booth, ServicePoint, VisitingSchedule, Weekday

from .languages import InterpreterLanguage, MeetingLanguage

#: The channels an appointment can be booked for.
BOOKABLE_CHANNELS = (Channel.REMOTE_MEETING, Channel.VISITING_OFFICIAL)

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{4,22}[0-9]$",
    _("Enter a phone number of digits, such as 040 123 4567 or +358 40 123 4567."),
)


class ResourceKind(models.TextChoices):
    EXPERT = "expert", _("expert")
    INTERPRETER = "interpreter", _("interpreter")
    BOOTH = "booth", _("booth")


class Resource(models.Model):
    """Something an appointment holds for a time: an expert, an interpreter or a booth. Reservations,
    working hours and absences point here, so that one constraint covers every kind."""

    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    booth = models.OneToOneField(
        Booth,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resource",
        verbose_name=_("booth"),
    )
    #: SHA-256 of the secret in the resource's private calendar feed address ("" when it has none).
    feed_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bookable resource")
        verbose_name_plural = _("bookable resources")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values),
                name="resource_kind_known",
                violation_error_message=_("Unknown kind of resource."),
            ),
            models.CheckConstraint(
                condition=Q(kind=ResourceKind.BOOTH, booth__isnull=False)
                | (~Q(kind=ResourceKind.BOOTH) & Q(booth__isnull=True)),
                name="resource_booth_iff_kind_booth",
                violation_error_message=_(
                    "A booth resource needs its booth, and only a booth resource has one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class Expert(models.Model):
    """An agency's expert as a bookable person: a user with an expert membership at the agency, the
    services they handle and the languages they serve in."""

    resource = models.OneToOneField(
        Resource, on_delete=models.PROTECT, related_name="expert", verbose_name=_("resource")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expert_profiles",
        verbose_name=_("user"),
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    services = models.ManyToManyField(Service, related_name="+", verbose_name=_("services handled"))
    languages = models.JSONField(_("languages served"), default=list)
    visits = models.ManyToManyField(
        VisitingSchedule,
        blank=True,
        related_name="+",
        verbose_name=_("visiting days"),
        help_text=_("The visiting schedules on which this expert meets customers in person at the point."),
    )
    is_active = models.BooleanField(_("bookable"), default=True)

    class Meta:
        ordering = ["agency", "user__full_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"],
                name="expert_unique_per_agency",
                violation_error_message=_("This user is already an expert of this agency."),
            ),
        ]

    def __str__(self) -> str:
        return self.user.full_name


class Interpreter(models.Model):
    """An interpreter as a bookable person, with the languages they interpret (spoken or signed) and
    the meeting languages they work with."""

    resource = models.OneToOneField(
        Resource, on_delete=models.PROTECT, related_name="interpreter", verbose_name=_("resource")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="interpreter_profile",
        verbose_name=_("user"),
    )
    languages = models.JSONField(_("languages"), default=list)
    is_active = models.BooleanField(_("bookable"), default=True)

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")

    def __str__(self) -> str:
        return self.user.full_name


class WorkingHours(models.Model):
    """A weekly rule of when a person can be booked, in Europe/Helsinki local time."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="working_hours", verbose_name=_("resource")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["resource", "weekday", "starts"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")),
                name="working_hours_start_before_end",
                violation_error_message=_("The working hours must end after they start."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=F("valid_to")),
                name="working_hours_valid_range",
                violation_error_message=_("The rule must be valid until a day after it is valid from."),
            ),
        ]
        indexes = [models.Index(fields=["resource", "weekday"], name="working_hours_resource_idx")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Absence(models.Model):
    """A time a resource cannot be booked: leave, training, a booth under repair."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="absences", verbose_name=_("resource")
    )
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    reason = models.CharField(_("reason"), max_length=200, blank=True, validators=[single_line_text])

    class Meta:
        ordering = ["resource", "starts"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")),
                name="absence_start_before_end",
                violation_error_message=_("The absence must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["resource", "starts", "ends"], name="absence_resource_time_idx")]

    def __str__(self) -> str:
        return f"{self.starts:%Y-%m-%d %H:%M}–{self.ends:%Y-%m-%d %H:%M}"


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("booked")
    CONFIRMED = "confirmed", _("confirmed")
    DONE = "done", _("done")
    NO_SHOW = "no_show", _("customer did not come")
    CANCELLED = "cancelled", _("cancelled")


#: The states in which an appointment holds its resources.
ACTIVE_STATES = (AppointmentState.BOOKED, AppointmentState.CONFIRMED)


class BookedBy(models.TextChoices):
    RESIDENT = "resident", _("the customer")
    STAFF = "staff", _("staff")


class Appointment(models.Model):
    """A customer's appointment at a point: a remote meeting in a booth, or a visiting official's
    appointment, holding one reservation per resource. The customer's contact is the least a booking
    needs, and is anonymised after the retention period (``RETENTION_DAYS["appointment_contact"]``)."""

    code = models.CharField(_("confirmation code"), max_length=8, unique=True, editable=False)
    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("service point")
    )
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    services = models.ManyToManyField(Service, related_name="+", verbose_name=_("services"))
    language = models.CharField(_("language"), max_length=2, choices=MeetingLanguage.choices)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=3, blank=True, choices=InterpreterLanguage.choices
    )
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    state = models.CharField(
        _("state"), max_length=20, choices=AppointmentState.choices, default=AppointmentState.BOOKED
    )
    customer_name = models.CharField(_("customer's name"), max_length=200, validators=[single_line_text])
    customer_email = models.EmailField(_("customer's email"), blank=True)
    customer_phone = models.CharField(
        _("customer's phone"), max_length=30, blank=True, validators=[single_line_text, phone_validator]
    )
    booked_by_kind = models.CharField(_("booked by"), max_length=20, choices=BookedBy.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by staff member"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    #: The iCalendar SEQUENCE: raised at every change the customer and the staff are told of.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("contact removed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")),
                name="appointment_start_before_end",
                violation_error_message=_("The appointment must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=[c.value for c in BOOKABLE_CHANNELS]),
                name="appointment_channel_bookable",
                violation_error_message=_(
                    "Appointments are booked for remote meetings and visiting officials."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state__in=AppointmentState.values),
                name="appointment_state_known",
                violation_error_message=_("Unknown state."),
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False) | ~Q(customer_email="") | ~Q(customer_phone=""),
                name="appointment_has_contact",
                violation_error_message=_("Give an email address or a phone number."),
            ),
        ]
        indexes = [
            models.Index(fields=["point", "starts"], name="appointment_point_time_idx"),
            models.Index(fields=["state", "starts"], name="appointment_state_time_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class ReservationRole(models.TextChoices):
    BOOTH = "booth", _("booth")
    EXPERT = "expert", _("expert")
    INTERPRETER = "interpreter", _("interpreter")


class Reservation(models.Model):
    """One resource held by one appointment for a time. A reschedule releases the old reservations and
    makes new ones, so the released rows are the appointment's history."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("appointment")
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("resource")
    )
    role = models.CharField(_("role"), max_length=20, choices=ReservationRole.choices)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    #: The end of the meeting plus the buffer after it: the resource is held until then.
    holds_until = models.DateTimeField(_("held until"))
    active = models.BooleanField(_("active"), default=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["starts"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")) & Q(ends__lte=F("holds_until")),
                name="reservation_times_in_order",
                violation_error_message=_("The reservation must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(active=True, released_at__isnull=True)
                | Q(active=False, released_at__isnull=False),
                name="reservation_released_iff_inactive",
            ),
        ]
        indexes = [
            # The slot search's and the overlap check's range scan: a resource's active reservations by time.
            models.Index(
                fields=["resource", "starts", "holds_until"],
                condition=Q(active=True),
                name="reservation_active_idx",
            ),
            models.Index(fields=["appointment"], name="reservation_appointment_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.starts:%Y-%m-%d %H:%M}"


class ChangeKind(models.TextChoices):
    BOOKED = "booked", _("booked")
    RESCHEDULED = "rescheduled", _("moved to another time")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")
    DONE = "done", _("done")
    NO_SHOW = "no_show", _("customer did not come")


class AppointmentChange(models.Model):
    """The history of an appointment: who did what, and when it was to start before and after."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="changes", verbose_name=_("appointment")
    )
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    by_customer = models.BooleanField(_("by the customer"), default=False)
    starts_before = models.DateTimeField(_("started before"), null=True, blank=True)
    starts_after = models.DateTimeField(_("starts after"), null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("change of an appointment")
        verbose_name_plural = _("changes of appointments")

    def __str__(self) -> str:
        return self.get_kind_display()
