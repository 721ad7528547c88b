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
from django.db import connection, transaction

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
        name=names.get("fi", ""),
        description=descriptions.get("fi", ""),
        level=level,
        point_kinds=list(point_kinds),
        min_visiting_days_per_month=min_visiting_days_per_month,
    )
    for language in ("fi", "sv", "en"):
        setattr(profile, f"name_{language}", names.get(language, names.get("fi", "")))
        setattr(profile, f"description_{language}", descriptions.get(language, descriptions.get("fi", "")))
    profile.full_clean()
    profile.save()
    for agency, channels in requirements:
        point_profile_requirement_add(profile=profile, agency=agency, channels=channels)
    return profile


@transaction.atomic
def point_profile_requirement_add(
    *, profile: PointProfile, agency: Agency, channels: Sequence[str]
) -> ProfileRequirement:
    """A requirement of ``profile``: ``agency``'s services through one of ``channels``."""
    requirement = ProfileRequirement(profile=profile, agency=agency, channels=list(channels))
    requirement.full_clean()
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
