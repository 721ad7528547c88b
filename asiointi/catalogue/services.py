"""Writes of the catalogue: point profiles, their requirements and the profile of each point; and
keeping the service finder's index in step with the services.

Every write of a profile checks its input with the models' own validation first and refuses, with a
translated message naming what is wrong, before anything is saved (a :class:`ValidationError`).

A saved or deleted service and a renamed agency renew their services' index rows when their
transaction commits (:mod:`.signals`, connected in the catalogue's AppConfig.ready: the network
below knows nothing of the finder). A writer that bypasses ``save()`` (a bulk ``update()``, an
import in SQL) calls :func:`service_search_index_update` for the services it changed, or
``manage.py finder_rebuild`` renews the whole index (docs/finder.md)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext, ngettext

from asiointi.network.models import Agency, ServicePoint

from .analysis import index_terms
from .models import PointProfile, PointProfileAssignment, ProfileRequirement, Service, ServiceSearchEntry

#: The cache key of the index's version: the finder keeps its word list per version.
INDEX_VERSION_KEY = "catalogue:finder:index-version"

# On PostgreSQL the document is every language's text under its own configuration (names and
# keywords weigh most) and the normalised words under 'simple' (Voikko's base forms, compound parts).
_PG_DOCUMENT_SQL = """
UPDATE catalogue_servicesearchentry SET document =
    setweight(to_tsvector('finnish', text_fi), 'A')
    || setweight(to_tsvector('swedish', text_sv), 'A')
    || setweight(to_tsvector('english', text_en), 'A')
    || setweight(to_tsvector('simple', names), 'A')
    || setweight(to_tsvector('simple', keywords), 'B')
    || setweight(to_tsvector('simple', terms), 'C')
WHERE service_id = ANY(%s)
"""


# The distinct words of the index, where pg_trgm finds what a misspelt word was meant to be.
_PG_WORDS_SQL = """
DELETE FROM catalogue_service_word;
INSERT INTO catalogue_service_word (word)
    SELECT DISTINCT unnest(string_to_array(terms, ' ')) FROM catalogue_servicesearchentry
    ON CONFLICT DO NOTHING;
"""


def _fts_text(terms: list[str]) -> str:
    """The words for a full-text engine: hyphenated and apostrophe forms are left out (their parts
    and joined forms are there already)."""
    return " ".join(t for t in terms if "-" not in t and "'" not in t)


def _entry_for(service: Service) -> ServiceSearchEntry:
    agency = service.agency
    texts = {}
    for lang in ("fi", "sv", "en"):
        texts[lang] = "\n".join(
            part
            for part in (
                getattr(service, f"name_{lang}") or "",
                getattr(service, f"keywords_{lang}") or "",
                getattr(service, f"description_{lang}") or "",
                getattr(agency, f"short_name_{lang}") or "",
                getattr(agency, f"name_{lang}") or "",
            )
            if part
        )
    names = " ".join(getattr(service, f"name_{lang}") or "" for lang in ("fi", "sv", "en"))
    keywords = " ".join(getattr(service, f"keywords_{lang}") or "" for lang in ("fi", "sv", "en"))
    return ServiceSearchEntry(
        service=service,
        text_fi=texts["fi"],
        text_sv=texts["sv"],
        text_en=texts["en"],
        names=" ".join(index_terms(f"{names} {service.code}")),
        keywords=" ".join(index_terms(keywords)),
        terms=" ".join(index_terms(" ".join(texts.values()))),
    )


def service_search_index_update(*, service_ids: Iterable[int] | None = None) -> int:
    """Renew the finder's index rows of the services ``service_ids`` (every service when None):
    active services are (re)indexed, inactive and deleted ones leave the index. Returns how many
    services are indexed now among those asked for."""
    services = Service.objects.select_related("agency")
    stale = ServiceSearchEntry.objects.all()
    ids: list[int] = []
    if service_ids is not None:
        ids = sorted(set(service_ids))
        services = services.filter(pk__in=ids)
        stale = stale.filter(service_id__in=ids)
    entries = [_entry_for(service) for service in services if service.is_active]
    with transaction.atomic():
        removed = list(stale.values_list("service_id", flat=True))
        stale.delete()
        ServiceSearchEntry.objects.bulk_create(entries)
        kept = [entry.service_id for entry in entries]
        if connection.vendor == "sqlite":
            # Every row asked for leaves the FTS table first (a deleted service's entry is gone already).
            _sqlite_fts_sync(None if service_ids is None else sorted(set(removed) | set(ids)), entries)
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if kept:
                    cursor.execute(_PG_DOCUMENT_SQL, [kept])
                cursor.execute(_PG_WORDS_SQL)
        # A new version at once (this process sees its own change) and again after commit (the others
        # then read the committed index); a version too many only costs a new word list.
        _index_version_renew()
        transaction.on_commit(_index_version_renew)
    return len(entries)


def _index_version_renew() -> None:
    cache.set(INDEX_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def service_search_index_rebuild() -> int:
    """Renew the whole index (``manage.py finder_rebuild``, the demo loader)."""
    return service_search_index_update(service_ids=None)


def _sqlite_fts_sync(removed: list[int] | None, entries: list[ServiceSearchEntry]) -> None:
    """Write ``entries`` into the FTS5 table after taking out the rows ``removed`` (all when None).
    Row ids are the services' ids."""
    with connection.cursor() as cursor:
        if removed is None:
            cursor.execute("DELETE FROM catalogue_service_fts")
        else:
            cursor.executemany(
                "DELETE FROM catalogue_service_fts WHERE rowid = %s", [(pk,) for pk in removed]
            )
        cursor.executemany(
            "INSERT INTO catalogue_service_fts (rowid, names, keywords, terms) VALUES (%s, %s, %s, %s)",
            [
                (
                    entry.service_id,
                    _fts_text(entry.names.split()),
                    _fts_text(entry.keywords.split()),
                    _fts_text(entry.terms.split()),
                )
                for entry in entries
            ],
        )


@transaction.atomic
def point_profile_create(
    *,
    code: str,
    level: int,
    names: Mapping[str, str],
    descriptions: Mapping[str, str] | None = None,
    point_kinds: Sequence[str] = (),
    min_visiting_days_per_month: int = 0,
    requirements: Iterable[tuple[Agency, Sequence[str]]] = (),
) -> PointProfile:
    """A new profile with its requirements (each an agency and its channels, any of which meets
    it). ``names`` and ``descriptions`` are by language (fi, sv, en). Nothing is saved if any part
    is refused."""
    descriptions = descriptions or {}
    profile = PointProfile(
        code=code,
        level=level,
        point_kinds=list(point_kinds),
        min_visiting_days_per_month=min_visiting_days_per_month,
    )
    _texts_set(profile, names, descriptions)
    profile.full_clean()
    profile.save()
    _requirements_replace(profile=profile, requirements=requirements)
    return profile


def _texts_set(profile: PointProfile, names: Mapping[str, str], descriptions: Mapping[str, str]) -> None:
    profile.name = names.get("fi", "")
    profile.description = descriptions.get("fi", "")
    for language in ("fi", "sv", "en"):
        setattr(profile, f"name_{language}", names.get(language, names.get("fi", "")))
        setattr(profile, f"description_{language}", descriptions.get(language, descriptions.get("fi", "")))


class RequirementsRefused(ValidationError):
    """Requirements of a profile refused: the errors by field (as any ValidationError), and
    ``by_index``, the errors of each requirement by its place in the requirements given."""

    def __init__(self, by_index: dict[int, dict[str, list[ValidationError]]]) -> None:
        merged: dict[str, list[ValidationError]] = {}
        for found in by_index.values():
            for name, errors in found.items():
                merged.setdefault(name, []).extend(errors)
        super().__init__(merged)
        self.by_index = by_index


def _requirements_replace(
    *, profile: PointProfile, requirements: Iterable[tuple[Agency, Sequence[str]]]
) -> list[ProfileRequirement]:
    """Make ``requirements`` the profile's only ones. Each is checked by the model's own validation
    and against the others (the same agency with the same channels twice is refused); refused
    ones raise :class:`RequirementsRefused`, and nothing is written unless every one passes."""
    made: list[ProfileRequirement] = []
    errors: dict[int, dict[str, list[ValidationError]]] = {}
    seen: dict[tuple[int, frozenset[str]], int] = {}
    for index, (agency, channels) in enumerate(requirements):
        requirement = ProfileRequirement(profile=profile, agency=agency, channels=list(channels))
        try:
            requirement.full_clean(exclude=["profile"])
        except ValidationError as error:
            errors[index] = dict(error.error_dict)
            continue
        key = (agency.pk, frozenset(requirement.channels))
        if key in seen:
            errors[index] = {
                "agency": [
                    ValidationError(
                        gettext("The profile already requires %(agency)s through these channels.")
                        % {"agency": agency.name},
                        code="duplicate_requirement",
                    )
                ]
            }
            continue
        seen[key] = index
        made.append(requirement)
    if errors:
        raise RequirementsRefused(errors)
    ProfileRequirement.objects.filter(profile=profile).delete()
    for requirement in made:
        requirement.save()
    return made


@transaction.atomic
def point_profile_update(
    *,
    profile: PointProfile,
    level: int,
    names: Mapping[str, str],
    descriptions: Mapping[str, str] | None = None,
    point_kinds: Sequence[str] = (),
    min_visiting_days_per_month: int = 0,
    requirements: Iterable[tuple[Agency, Sequence[str]]] = (),
) -> PointProfile:
    """New names, descriptions, level, kinds of point and visiting days for ``profile``, and
    ``requirements`` as its only requirements (those left out are removed). Refused, with nothing
    changed, when a part is refused or when the profile is given to a point of a kind that the new
    kinds leave out."""
    profile = PointProfile.objects.select_for_update().get(pk=profile.pk)
    _texts_set(profile, names, descriptions or {})
    profile.level = level
    profile.point_kinds = list(point_kinds)
    profile.min_visiting_days_per_month = min_visiting_days_per_month
    profile.full_clean()
    if profile.point_kinds:
        excluded = list(
            ServicePoint.objects.filter(profile_assignment__profile=profile)
            .exclude(kind__in=profile.point_kinds)
            .order_by("name")
            .values_list("name", flat=True)[:10]
        )
        if excluded:
            raise ValidationError(
                {
                    "point_kinds": gettext(
                        "Service points of another kind have this profile: %(points)s. Give them another "
                        "profile first, or keep their kind among the kinds of point."
                    )
                    % {"points": ", ".join(excluded)}
                },
                code="kind_in_use",
            )
    _requirements_replace(profile=profile, requirements=requirements)
    profile.save(
        update_fields=[
            *(f"{field}_{language}" for field in ("name", "description") for language in ("fi", "sv", "en")),
            "name",
            "description",
            "level",
            "point_kinds",
            "min_visiting_days_per_month",
        ]
    )
    return profile


def point_profile_in_use(*, profile: PointProfile) -> int:
    """How many service points have ``profile``."""
    return PointProfileAssignment.objects.filter(profile=profile).count()


@transaction.atomic
def point_profile_delete(*, profile: PointProfile) -> None:
    """Delete ``profile`` and its requirements; refused while any service point has it."""
    profile = PointProfile.objects.select_for_update().get(pk=profile.pk)
    used = point_profile_in_use(profile=profile)
    if used:
        raise ValidationError(
            ngettext(
                "The profile “%(profile)s” is given to %(count)d service point, so it cannot be deleted. "
                "Give that point another profile first.",
                "The profile “%(profile)s” is given to %(count)d service points, so it cannot be deleted. "
                "Give those points another profile first.",
                used,
            )
            % {"profile": profile.name, "count": used},
            code="in_use",
        )
    profile.delete()


@transaction.atomic
def point_profile_requirement_add(
    *, profile: PointProfile, agency: Agency, channels: Sequence[str]
) -> ProfileRequirement:
    """A requirement of ``profile``: ``agency``'s services through one of ``channels``."""
    requirement = ProfileRequirement(profile=profile, agency=agency, channels=list(channels))
    requirement.full_clean()
    existing = ProfileRequirement.objects.filter(profile=profile, agency=agency).values_list(
        "channels", flat=True
    )
    if any(set(channels) == set(requirement.channels) for channels in existing):
        raise ValidationError(
            {
                "agency": gettext("The profile already requires %(agency)s through these channels.")
                % {"agency": agency.name}
            },
            code="duplicate_requirement",
        )
    requirement.save()
    return requirement


@transaction.atomic
def point_profile_requirement_remove(*, requirement: ProfileRequirement) -> None:
    requirement.delete()


@transaction.atomic
def point_profile_set(*, point: ServicePoint, profile: PointProfile | None) -> PointProfileAssignment | None:
    """Give ``point`` the profile ``profile`` (None takes its profile away). A profile that is not
    for the point's kind is refused and the point keeps the profile it had."""
    current = PointProfileAssignment.objects.select_for_update().filter(point=point).first()
    if profile is not None:
        # Held until commit, so that the profile is not deleted meanwhile (point_profile_delete).
        profile = PointProfile.objects.select_for_update().get(pk=profile.pk)
    if profile is None:
        if current is not None:
            current.delete()
        return None
    assignment = current or PointProfileAssignment(point=point)
    assignment.profile = profile
    assignment.full_clean(validate_unique=current is None)
    if current is None:
        assignment.save()
    else:
        assignment.save(update_fields=["profile"])
    return assignment
