"""The service finder: from a need typed in Finnish, Swedish or English to the agency services that
answer it, best first, each with what can be done for it (docs/finder.md).

A query goes through four steps:

1. Its words are cut and normalised as the index's were (:mod:`.analysis`): Finnish base forms and
   compound parts from Voikko, Swedish and English endings stripped; filler words are left out.
   A word that the index does not know is corrected to the nearest known words (typos).
2. Everyday words and phrases of the synonym list (``data/synonyms.json``) name the services they
   mean ("passi", "sossu", "työkkäri", "flyttanmälan", "tax card").
3. The database finds the candidates: SQLite's FTS5 table (exact and prefix matches) or
   PostgreSQL's full-text search (``finnish``, ``swedish``, ``english`` and ``simple``
   configurations); a misspelt word is first corrected to the index's words (PostgreSQL: ``pg_trgm``
   trigram similarity over a table of the index's words; SQLite: difflib).
4. The candidates are scored by where each query word matched (name, keyword, other text), the
   synonyms' choice and the database's own rank, and the best come first.

Public data only: the catalogue is public, so the selector takes no viewer.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import hashlib
import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from asiointi.network.models import Agency, AgencyKind, ServicePoint
from asiointi.network.selectors import PUBLIC_PAGES_VERSION_KEY, point_list_public, point_next_visits

from .analysis import STOPWORDS, normalise, word_forms, words
from .models import Channel, Service, ServiceOffering, ServiceSearchEntry
from .services import INDEX_VERSION_KEY

SYNONYMS_JSON = Path(__file__).with_name("data") / "synonyms.json"
LANGUAGES = ("fi", "sv", "en")
#: The longest query the finder reads (longer input is cut).
MAX_QUERY_LENGTH = 100
#: At most this many words of a query are used.
MAX_QUERY_WORDS = 8
#: How many candidates the database gives for scoring.
CANDIDATES = 60
#: The days ahead in which a visiting day is looked for.
VISIT_DAYS = 60
#: How long an answer is reused (the same need, language, point and limit), unless the setting
#: ``FINDER_ANSWER_SECONDS`` says otherwise (0: never). A change of the index or of the public data
#: makes new keys at once, so this bounds only how late a visiting day of today is seen as past.
ANSWER_SECONDS = 60

# Weights of a match by where it is found, and of the kinds of evidence.
NAME_WEIGHT = 3.0
KEYWORD_WEIGHT = 2.0
TEXT_WEIGHT = 1.0
PREFIX_FACTOR = 0.6
PART_WEIGHT = 0.5
TYPO_FACTOR = 0.8
#: The least trigram similarity (pg_trgm) of a misspelt word to the word it was meant to be.
TRIGRAM_LEAST = 0.4
SYNONYM_WEIGHT = 4.0
DATABASE_WEIGHT = 1.0


class ActionKind:
    ESERVICE_GUIDANCE = "eservice_guidance"
    REMOTE_MEETING = "remote_meeting"
    CALLBACK = "callback"
    VISITING_DAY = "visiting_day"


@dataclass(frozen=True)
class FinderAction:
    """What can be done for the customer's need: ``kind`` is an :class:`ActionKind` code."""

    kind: str
    label: str
    url: str = ""
    day: dt.date | None = None
    point: ServicePoint | None = None


@dataclass
class FinderResult:
    service: Service
    agency: Agency
    score: float
    actions: list[FinderAction] = field(default_factory=list)


# --- the synonym list and the index's words ---------------------------------------------------------


@functools.cache
def synonyms() -> dict[str, dict[str, tuple[str, ...]]]:
    """The curated list: by language, normalised word or phrase → service codes, best first."""
    data = json.loads(SYNONYMS_JSON.read_text(encoding="utf-8"))
    return {
        lang: {" ".join(words(key)): tuple(codes) for key, codes in data.get(lang, {}).items() if codes}
        for lang in LANGUAGES
    }


_vocabulary_lock = threading.Lock()
_vocabulary: dict[str, tuple[frozenset[str], dict[int, list[str]]]] = {}


def _index_version() -> str:
    version = cache.get(INDEX_VERSION_KEY)
    return str(version) if version is not None else "none"


def vocabulary() -> tuple[frozenset[str], dict[int, list[str]]]:
    """Every word the index and the synonym list know, and the same by length (for typo matching);
    kept in the process per version of the index."""
    version = _index_version()
    with _vocabulary_lock:
        known = _vocabulary.get(version)
    if known is not None:
        return known
    found: set[str] = set()
    for terms in ServiceSearchEntry.objects.values_list("terms", flat=True):
        found.update(terms.split())
    for table in synonyms().values():
        for key in table:
            found.update(key.split())
    by_length: dict[int, list[str]] = defaultdict(list)
    for word in sorted(found):
        by_length[len(word)].append(word)
    known = (frozenset(found), dict(by_length))
    with _vocabulary_lock:
        _vocabulary.clear()
        _vocabulary[version] = known
    return known


_PG_CORRECTIONS_SQL = """
SELECT word, similarity(word, %(word)s) AS likeness FROM catalogue_service_word
WHERE word %% %(word)s AND similarity(word, %(word)s) >= %(least)s
ORDER BY likeness DESC, word LIMIT 3
"""


@functools.lru_cache(maxsize=4096)
def _corrections(word: str, version: str) -> tuple[tuple[str, float], ...]:
    """Known words within a typo or two of ``word``, with their likeness (0..1): on PostgreSQL by
    pg_trgm's trigram similarity over the index's words, elsewhere by difflib's ratio."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_CORRECTIONS_SQL, {"word": word, "least": TRIGRAM_LEAST})
            return tuple((found, float(likeness)) for found, likeness in cursor.fetchall())
    _known, by_length = vocabulary()
    pool = [w for n in range(len(word) - 2, len(word) + 3) for w in by_length.get(n, ())]
    matcher = difflib.SequenceMatcher(a="", b=word, autojunk=False)
    found = []
    for candidate in pool:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
            continue
        ratio = matcher.ratio()
        if ratio >= 0.8:
            found.append((candidate, ratio))
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    return tuple(found[:3])


# --- the query ---------------------------------------------------------------------------------------


@dataclass
class _Word:
    """One word of the query: its forms with their weights."""

    text: str
    forms: dict[str, float] = field(default_factory=dict)

    def add(self, form: str, weight: float) -> None:
        if weight > self.forms.get(form, 0.0):
            self.forms[form] = weight


@dataclass
class _Query:
    words: list[_Word]
    synonym_codes: dict[str, float]

    def all_forms(self) -> dict[str, float]:
        forms: dict[str, float] = {}
        for word in self.words:
            for form, weight in word.forms.items():
                forms[form] = max(weight, forms.get(form, 0.0))
        return forms


def _query_analyse(query: str, language: str) -> _Query:
    raw = words(query[:MAX_QUERY_LENGTH])
    kept = [w for w in raw if w not in STOPWORDS] or raw
    kept = kept[:MAX_QUERY_WORDS]
    known, _by_length = vocabulary()
    version = _index_version()
    analysed: list[_Word] = []
    for text in kept:
        word = _Word(text)
        whole, parts = word_forms(text)
        for form in whole:
            word.add(form, 1.0)
        for part in parts:
            word.add(part, PART_WEIGHT)
        if len(text) >= 4 and not any(form in known for form in whole):
            for corrected, ratio in _corrections(text, version):
                fixed_whole, fixed_parts = word_forms(corrected)
                for form in fixed_whole:
                    word.add(form, TYPO_FACTOR * ratio)
                for part in fixed_parts:
                    word.add(part, TYPO_FACTOR * ratio * PART_WEIGHT)
        analysed.append(word)
    return _Query(analysed, _synonym_codes(raw, analysed, language))


def _synonym_codes(raw: list[str], analysed: list[_Word], language: str) -> dict[str, float]:
    """The services that the synonym list names for phrases of the query, with their weights: the
    query's own language first, the list's order within a phrase."""
    tables = synonyms()
    codes: dict[str, float] = {}

    def add(found: tuple[str, ...], strength: float, lang: str) -> None:
        own = 1.0 if lang == language else 0.9
        for rank, code in enumerate(found):
            weight = strength * own * max(1.0 - 0.4 * rank, 0.2)
            codes[code] = max(weight, codes.get(code, 0.0))

    for lang in LANGUAGES:
        table = tables[lang]
        for size in (3, 2):  # phrases as typed
            for start in range(len(raw) - size + 1):
                phrase = " ".join(raw[start : start + size])
                if phrase in table:
                    add(table[phrase], 1.0, lang)
        for word in analysed:  # single words in any of their forms, typos included
            best: dict[str, float] = {}
            for form, weight in word.forms.items():
                if form in table and weight > best.get(form, 0.0):
                    best[form] = weight
            for form, weight in best.items():
                add(table[form], weight, lang)
    return codes


# --- the database's candidates ------------------------------------------------------------------------


def _fts_forms(query: _Query) -> list[str]:
    return sorted(f for f in query.all_forms() if f.isalnum())


def _candidates_sqlite(query: _Query) -> dict[int, float]:
    forms = _fts_forms(query)
    if not forms:
        return {}
    expression = " OR ".join(f'"{f}"*' if len(f) >= 4 else f'"{f}"' for f in forms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -bm25(catalogue_service_fts, 10.0, 5.0, 1.0) FROM catalogue_service_fts "
            "WHERE catalogue_service_fts MATCH %s ORDER BY 2 DESC LIMIT %s",
            [expression, CANDIDATES],
        )
        return {int(pk): float(rank) for pk, rank in cursor.fetchall()}


# The full-text candidates on PostgreSQL, best first: the ids of the services whose document matches
# the query, as a subquery of the entries' query (one round trip for candidates and entries).
_PG_CANDIDATES_SQL = """
SELECT c.service_id FROM catalogue_servicesearchentry c, (
    SELECT to_tsquery('simple', %s) || to_tsquery('finnish', %s) || to_tsquery('swedish', %s)
        || to_tsquery('english', %s) AS query
) q
WHERE c.document @@ q.query ORDER BY ts_rank(c.document, q.query) DESC LIMIT %s
"""
# The database's rank of a full-text candidate (NULL for a service named only by a synonym).
_PG_RANK_SQL = (
    "CASE WHEN catalogue_servicesearchentry.service_id IN ("
    + _PG_CANDIDATES_SQL
    + ") THEN ts_rank(catalogue_servicesearchentry.document, to_tsquery('simple', %s) "
    "|| to_tsquery('finnish', %s) || to_tsquery('swedish', %s) || to_tsquery('english', %s)) END"
)


def _pg_tsquery_params(forms: list[str]) -> list[str]:
    prefixes = " | ".join(f"{f}:*" if len(f) >= 4 else f for f in forms)
    plain = " | ".join(forms)
    return [prefixes, plain, plain, plain]


def _entries(query: _Query) -> tuple[list[ServiceSearchEntry], dict[int, float]]:
    """The index rows of the candidates (the database's best :data:`CANDIDATES` matches and the
    services the synonyms name), with their services and agencies, and the database's rank of each
    full-text candidate. On PostgreSQL one query, on SQLite two (FTS5, then the rows)."""
    entries = (
        ServiceSearchEntry.objects.filter(service__is_active=True)
        .select_related("service__agency")
        .defer("text_fi", "text_sv", "text_en")
    )
    codes = list(query.synonym_codes)
    forms = _fts_forms(query)
    if connection.vendor == "postgresql" and forms:
        params = _pg_tsquery_params(forms)
        # Constant SQL of this module; the query's forms are bound as parameters.
        candidates = RawSQL(_PG_CANDIDATES_SQL, [*params, CANDIDATES])  # noqa: S611  # nosec B611
        rank = RawSQL(_PG_RANK_SQL, [*params, CANDIDATES, *params])  # noqa: S611  # nosec B611
        ranked = list(
            entries.filter(Q(service_id__in=candidates) | Q(service__code__in=codes)).annotate(db_rank=rank)
        )
        ranks = {row.service_id: float(row.db_rank) for row in ranked if row.db_rank is not None}
        return cast("list[ServiceSearchEntry]", ranked), ranks
    db_ranks = _candidates_sqlite(query) if connection.vendor == "sqlite" else {}
    if not db_ranks and not codes:
        return [], db_ranks
    rows = list(entries.filter(Q(service_id__in=list(db_ranks)) | Q(service__code__in=codes)))
    return rows, db_ranks


# --- scoring ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    """The words of one field of an index row: as a set (exact matches) and sorted (prefix matches
    by bisection), with the field's weight."""

    terms: frozenset[str]
    ordered: tuple[str, ...]
    weight: float

    def match(self, form: str) -> float:
        if form in self.terms:
            return self.weight
        if len(form) >= 4:
            at = bisect.bisect_left(self.ordered, form)
            if at < len(self.ordered) and self.ordered[at].startswith(form):
                return self.weight * PREFIX_FACTOR
        return 0.0


@functools.lru_cache(maxsize=4096)
def _entry_fields(names: str, keywords: str, terms: str) -> tuple[_Field, ...]:
    """An index row's fields ready for scoring, kept in the process by their text (a changed row has
    another text, so it is never scored on its old words)."""
    return tuple(
        _Field(frozenset(words_), tuple(sorted(set(words_))), weight)
        for words_, weight in (
            (names.split(), NAME_WEIGHT),
            (keywords.split(), KEYWORD_WEIGHT),
            (terms.split(), TEXT_WEIGHT),
        )
    )


def _field_match(form: str, fields: tuple[_Field, ...]) -> float:
    """The weight of the best field where ``form`` is a word (or, for a form of 4 letters or more,
    begins a word: less)."""
    best = 0.0
    for field_ in fields:
        found = field_.match(form)
        if found == field_.weight:
            return found
        best = max(best, found)
    return best


def _score(entry: ServiceSearchEntry, query: _Query, db_rank: float, synonym_weight: float) -> float:
    fields = _entry_fields(entry.names, entry.keywords, entry.terms)
    score = 0.0
    matched = 0
    for word in query.words:
        best = max((_field_match(form, fields) * weight for form, weight in word.forms.items()), default=0.0)
        if best > 0:
            matched += 1
        score += best
    coverage = matched / len(query.words) if query.words else 0.0
    return score * (0.5 + 0.5 * coverage) + SYNONYM_WEIGHT * synonym_weight + DATABASE_WEIGHT * db_rank


# --- the selector ---------------------------------------------------------------------------------------


def service_search(
    *, query: str, language: str, point: ServicePoint | None = None, limit: int = 10
) -> list[FinderResult]:
    """The active services that answer the need ``query`` (typed in Finnish, Swedish or English),
    best first, at most ``limit``; each with its agency, a score and the actions that can be taken:
    guidance in the e-service, a remote meeting, a callback request and a visiting day. With
    ``point`` (the advisor's point), the point's own offerings and visiting days come first. A
    municipal service is given once (the point's municipality's, when there is a point).

    The answer is kept in the cache for :data:`ANSWER_SECONDS` under a key that changes with the
    index and the public data, so a repeated need costs no query at all."""
    language = language if language in LANGUAGES else "fi"
    text = normalise(query)[:MAX_QUERY_LENGTH]
    seconds = getattr(settings, "FINDER_ANSWER_SECONDS", ANSWER_SECONDS)
    if not seconds:
        return _service_search(text, language, point, limit)
    key = _answer_key(text, language, point, limit)
    if (answer := cache.get(key)) is not None:
        return list(answer)
    results = _service_search(text, language, point, limit)
    cache.set(key, results, timeout=seconds)
    return results


def _answer_key(text: str, language: str, point: ServicePoint | None, limit: int) -> str:
    """The cache key of an answer: a hash of the query, its language, the point, the limit, the
    language of the labels, the day (visiting days) and the versions of the finder's index and of the
    public data (offerings, points, schedules), so that any change gives new keys at once."""
    versions = cache.get_many([INDEX_VERSION_KEY, PUBLIC_PAGES_VERSION_KEY])
    parts = (
        text,
        language,
        str(point.pk if point is not None else ""),
        str(limit),
        get_language() or "",
        timezone.localdate().isoformat(),
        str(versions.get(INDEX_VERSION_KEY, "")),
        str(versions.get(PUBLIC_PAGES_VERSION_KEY, "")),
    )
    return "catalogue:finder:answer:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _service_search(text: str, language: str, point: ServicePoint | None, limit: int) -> list[FinderResult]:
    analysed = _query_analyse(text, language)
    if not analysed.words:
        return []
    entries, db_ranks = _entries(analysed)
    top_rank = max(db_ranks.values(), default=0.0) or 1.0
    offered_here: set[int] = set()
    if point is not None:
        offered_here = set(
            ServiceOffering.objects.filter(
                point=point, service_id__in=[e.service_id for e in entries]
            ).values_list("service_id", flat=True)
        )
    scored = []
    for entry in entries:
        service = entry.service
        score = _score(
            entry,
            analysed,
            max(db_ranks.get(service.pk, 0.0), 0.0) / top_rank,
            analysed.synonym_codes.get(service.code, 0.0),
        )
        if score <= 0:
            continue
        local = service.pk in offered_here
        scored.append((score + (0.5 if local else 0.0), local, entry))
    scored.sort(key=lambda row: (-row[0], not row[1], str(row[2].service.agency.name), row[2].service.pk))
    results: list[FinderResult] = []
    seen_municipal: set[str] = set()
    for score, _local, entry in scored:
        service = entry.service
        if service.agency.kind == AgencyKind.MUNICIPAL:
            if service.code in seen_municipal:
                continue
            seen_municipal.add(service.code)
        results.append(FinderResult(service=service, agency=service.agency, score=round(score, 3)))
        if len(results) >= limit:
            break
    _actions_add(results, point=point)
    return results


def _actions_add(results: list[FinderResult], *, point: ServicePoint | None) -> None:
    """Fill in each result's actions from the offerings of the active points (at ``point`` for
    guidance, callbacks and visiting days when given) and the point's visiting schedules."""
    if not results:
        return
    ids = [r.service.pk for r in results]
    channels_anywhere: dict[int, set[str]] = defaultdict(set)
    channels_here: dict[int, set[str]] = defaultdict(set)
    offerings = ServiceOffering.objects.filter(service_id__in=ids, point__in=point_list_public().values("pk"))
    for service_id, channel, here in (
        offerings.annotate(here=Q(point_id=point.pk if point is not None else None))
        .values_list("service_id", "channel", "here")
        .order_by()
        .distinct()
    ):
        channels_anywhere[service_id].add(channel)
        if here:
            channels_here[service_id].add(channel)
    next_visit: dict[int, dt.date] = {}
    if point is not None and any(Channel.VISITING_OFFICIAL in channels_here[i] for i in ids):
        for visit in point_next_visits(point=point, start=timezone.localdate(), days=VISIT_DAYS):
            next_visit.setdefault(visit.schedule.agency_id, visit.day)
    for result in results:
        pk = result.service.pk
        local = channels_here[pk] if point is not None else channels_anywhere[pk]
        if Channel.ADVISOR_GUIDANCE in local:
            result.actions.append(
                FinderAction(
                    ActionKind.ESERVICE_GUIDANCE,
                    _("Guidance in using the e-service at a service point."),
                    url=result.agency.website,
                )
            )
        if Channel.REMOTE_MEETING in channels_anywhere[pk]:
            result.actions.append(
                FinderAction(ActionKind.REMOTE_MEETING, _("A remote meeting with an expert by video."))
            )
        if Channel.CALLBACK in channels_anywhere[pk]:
            result.actions.append(
                FinderAction(ActionKind.CALLBACK, _("A callback request: an expert calls back."))
            )
        if Channel.VISITING_OFFICIAL in local:
            day = next_visit.get(result.agency.pk)
            result.actions.append(
                FinderAction(
                    ActionKind.VISITING_DAY,
                    _("A visiting day of the agency's official.")
                    if day is None
                    else _("The next visiting day of the agency's official at this point:"),
                    day=day,
                    point=point if day is not None else None,
                )
            )
