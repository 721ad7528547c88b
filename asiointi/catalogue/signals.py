"""The service finder's index follows the names it is built from.

A service's index row holds its own texts and its agency's names (:func:`.services._entry_for`), so a
saved or deleted service, and an agency whose name or short name changed, renew the rows of the
services concerned. The network sits below the catalogue and knows nothing of the finder: the
catalogue connects to Django's ``post_save``/``post_delete`` of ``Agency`` and ``Service`` in its
``AppConfig.ready``.

The rows are renewed once per transaction, when it commits (the services saved in one transaction,
such as a load of many, are indexed together); a change made outside a transaction is indexed at
once. A rolled-back change is never indexed; an index update that fails after the commit is logged
(Django's robust on_commit) and the change itself stays saved: ``finder_rebuild`` mends it. A bulk
``update()`` bypasses the signals: run ``manage.py finder_rebuild`` after one (docs/finder.md)."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from asiointi.network.models import Agency

from .models import Service

#: The fields of a service and of an agency that the index is built from (with their translations).
SERVICE_FIELDS = ("code", "name", "keywords", "description", "is_active", "agency")
AGENCY_FIELDS = ("name", "short_name")


class _Pending:
    """The services to renew when the current transaction commits."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        from .services import service_search_index_update

        self.done = True
        ids, self.ids = self.ids, set()
        if ids:
            service_search_index_update(service_ids=ids)


_local = threading.local()


def _index_later(ids: list[int]) -> None:
    """Renew the index rows of ``ids`` when the current transaction commits (at once outside one)."""
    if not ids:
        return
    pending: _Pending | None = getattr(_local, "pending", None)
    # Django keeps (savepoint ids, callback, robust) for each callback of the open transaction.
    registered = (
        pending is not None
        and not pending.done
        and any(entry[1] is pending for entry in connection.run_on_commit)
    )
    if pending is None or not (connection.in_atomic_block and registered):
        pending = _Pending()
        _local.pending = pending
        pending.ids.update(ids)
        transaction.on_commit(pending, robust=True)  # a failure is logged; the change stays saved
        return
    pending.ids.update(ids)


def _touches(update_fields: Any, names: tuple[str, ...]) -> bool:
    """Whether a save with ``update_fields`` (None: every field) may change one of ``names``
    (``name`` covers ``name_fi``, ``name_sv``, ``name_en`` too)."""
    if update_fields is None:
        return True
    return any(field == name or field.startswith(f"{name}_") for field in update_fields for name in names)


def _service_saved(sender: type[Service], instance: Service, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _touches(kwargs.get("update_fields"), SERVICE_FIELDS):
        return
    _index_later([instance.pk])


def _service_deleted(sender: type[Service], instance: Service, **kwargs: Any) -> None:
    _index_later([instance.pk])


def _agency_saved(sender: type[Agency], instance: Agency, raw: bool = False, **kwargs: Any) -> None:
    if raw or kwargs.get("created") or not _touches(kwargs.get("update_fields"), AGENCY_FIELDS):
        return
    _index_later(list(Service.objects.filter(agency=instance).values_list("pk", flat=True)))


def connect() -> None:
    """Called once by the catalogue's AppConfig.ready."""
    post_save.connect(_service_saved, sender=Service, dispatch_uid="catalogue.finder.service_saved")
    post_delete.connect(_service_deleted, sender=Service, dispatch_uid="catalogue.finder.service_deleted")
    post_save.connect(_agency_saved, sender=Agency, dispatch_uid="catalogue.finder.agency_saved")
