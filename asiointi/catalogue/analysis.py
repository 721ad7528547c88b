"""Words of the service finder: how the catalogue's texts and what people type are cut into words.

Both sides go through the same functions, so an index word and a query word meet when they are the
same word in any inflected form:

* everything is lower case (NFC), cut into words of letters and digits; a hyphenated word is kept
  whole, split into its parts and joined ("kela-kortti" → kela-kortti, kela, kortti, kelakortti);
* a Finnish word gets its base forms and the base forms of its compound parts from Voikko
  ("työttömyyskorvausta" → työttömyyskorvaus, työttömyys, korvaus), when the system library and its
  Finnish dictionary are installed (Debian: ``libvoikko1`` and ``voikko-fi``). Without them the
  finder logs one warning and keeps working with light suffix stripping, prefix matches and
  trigram/typo matching (docs/finder.md);
* a Swedish or English word gets its form with common endings stripped ("skattekortet" →
  skattekort).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from typing import Any

logger = logging.getLogger(__name__)

WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")

#: Words that say nothing about the need; left out of a query (not out of the index).
STOPWORDS = frozenset(
    [
        "ja",
        "tai",
        "on",
        "ei",
        "en",
        "se",
        "ne",
        "mä",
        "mun",
        "minä",
        "minun",
        "mulla",
        "mulle",
        "olen",
        "oon",
        "ole",
        "olla",
        "pitää",
        "pitäisi",
        "haluan",
        "haluaisin",
        "voinko",
        "miten",
        "mistä",
        "missä",
        "mitä",
        "mikä",
        "kun",
        "jos",
        "että",
        "nyt",
        "uusi",
        "uuden",
        "uudet",
        "hukassa",
        "hukkunut",
        "kateissa",
        "kadoksissa",
        "asia",
        "asiaa",
        "asiat",
        "och",
        "eller",
        "är",
        "jag",
        "min",
        "mitt",
        "mina",
        "har",
        "vill",
        "hur",
        "var",
        "vad",
        "det",
        "den",
        "en",
        "ett",
        "att",
        "på",
        "till",
        "för",
        "med",
        "om",
        "av",
        "ny",
        "nytt",
        "i",
        "a",
        "an",
        "the",
        "my",
        "me",
        "mine",
        "of",
        "to",
        "for",
        "with",
        "on",
        "in",
        "at",
        "is",
        "am",
        "are",
        "be",
        "do",
        "does",
        "how",
        "what",
        "where",
        "i'm",
        "get",
        "got",
        "need",
        "want",
        "lost",
        "have",
        "has",
        "can",
        "new",
    ]
)

# Common endings of Swedish and English inflection, longest first: a rough stemmer for the two
# languages without a dictionary here (PostgreSQL's swedish/english configurations stem properly).
_SUFFIXES = (
    "arnas",
    "ernas",
    "orna",
    "arna",
    "erna",
    "ande",
    "ende",
    "ies",
    "ing",
    "ens",
    "ets",
    "en",
    "et",
    "er",
    "ar",
    "or",
    "na",
    "es",
    "s",
)


# Common Finnish case endings, longest first: only used for a word that Voikko did not analyse (or
# when Voikko is missing), so "starttirahaa" still meets "starttiraha".
_FINNISH_SUFFIXES = (
    "ssa",
    "ssä",
    "sta",
    "stä",
    "lla",
    "llä",
    "lta",
    "ltä",
    "lle",
    "ksi",
    "tta",
    "ttä",
    "aa",
    "ää",
    "ta",
    "tä",
    "n",
    "a",
    "ä",
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().replace("’", "'")


def words(text: str) -> list[str]:
    """The words of ``text``, lower case, in order."""
    return WORD_RE.findall(normalise(text))


def strip_suffix(word: str) -> str | None:
    """``word`` without a common Swedish or English ending, or None when none comes off."""
    if word.endswith("'s"):
        return word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return None


def strip_finnish_suffix(word: str) -> str | None:
    """``word`` without a common Finnish case ending, or None: the fallback for base forms."""
    for suffix in _FINNISH_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return None


# --- Voikko ---------------------------------------------------------------------------------------

_WORDBASES_RE = re.compile(r"\+([^+(]*)\(([^)]*)\)")
_voikko_lock = threading.Lock()
_voikko_missing_logged = False


@functools.cache
def _voikko() -> Any | None:
    """Voikko for Finnish, or None (logged once) when the binding, the library or the Finnish
    dictionary is missing."""
    global _voikko_missing_logged
    try:
        from libvoikko import Voikko  # type: ignore[import-untyped]

        return Voikko("fi")
    except Exception as exc:  # ImportError, OSError (no libvoikko.so), VoikkoException (no dictionary)
        if not _voikko_missing_logged:
            _voikko_missing_logged = True
            logger.warning(
                "Voikko is not available (%s): the service finder matches Finnish words without their "
                "base forms and compound parts (install libvoikko1 and voikko-fi).",
                exc,
            )
        return None


def voikko_available() -> bool:
    return _voikko() is not None


@functools.lru_cache(maxsize=20_000)
def finnish_forms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The base forms of ``word`` and the base forms of its compound parts (each without the word
    itself), from Voikko; empty when Voikko is not available or does not know the word."""
    voikko = _voikko()
    if voikko is None or len(word) < 3:
        return (), ()
    with _voikko_lock:  # a Voikko handle is not safe to share between threads
        analyses = voikko.analyze(word)
    bases: list[str] = []
    parts: list[str] = []
    for analysis in analyses:
        base = normalise(analysis.get("BASEFORM", ""))
        if base and base != word and base not in bases:
            bases.append(base)
        for part in _compound_parts(analysis.get("WORDBASES", "")):
            if len(part) >= 3 and part not in parts and part != base:
                parts.append(part)
    return tuple(bases), tuple(parts)


def _compound_parts(wordbases: str) -> list[str]:
    """The parts of a compound from Voikko's WORDBASES, e.g. "+työ(työ)+ttömy(+tön)+ys(+ys)+korva(korvata)
    +us(+us)" → työttömyys, korvaus: a segment whose base starts with "+" is a derivation that joins
    the part before it. Empty for a word that is not a compound."""
    groups: list[list[tuple[str, str]]] = []
    for surface, base in _WORDBASES_RE.findall(wordbases):
        if base.startswith("+") and groups:
            groups[-1].append((surface, base))
        else:
            groups.append([(surface, base)])
    if len(groups) < 2:
        return []
    parts = []
    for group in groups:
        text = group[0][1] if len(group) == 1 else "".join(surface for surface, _base in group)
        parts.append(normalise(text.strip("-")))
    return parts


# --- forms of a word ------------------------------------------------------------------------------


def word_forms(word: str) -> tuple[list[str], list[str]]:
    """The forms under which ``word`` is indexed or searched: (the word and its base forms,
    its parts). Parts are weaker evidence than the word itself."""
    whole = [word]
    parts: list[str] = []
    if "-" in word or "'" in word:
        pieces = [p for p in re.split(r"[-']", word) if p]
        joined = "".join(pieces)
        whole.append(joined)
        parts.extend(p for p in pieces if len(p) >= 3)
    for form in list(whole):
        bases, compound = finnish_forms(form)
        whole.extend(b for b in bases if b not in whole)
        parts.extend(c for c in compound if c not in parts and c not in whole)
        stripped = strip_suffix(form)
        if stripped and stripped not in whole:
            whole.append(stripped)
        if not bases:
            stripped = strip_finnish_suffix(form)
            if stripped and stripped not in whole:
                whole.append(stripped)
    return whole, [p for p in parts if p not in whole]


def index_terms(text: str) -> list[str]:
    """Every form of every word of ``text``, each once, for the index."""
    seen: dict[str, None] = {}
    for word in words(text):
        whole, parts = word_forms(word)
        for form in (*whole, *parts):
            seen.setdefault(form, None)
    return list(seen)
