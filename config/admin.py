"""The administration's site: Django's admin site, hardened against nonsense in query strings and
forms for every model admin registered with it.

``AdminConfig`` (in INSTALLED_APPS instead of ``django.contrib.admin``) makes
:class:`AsiointiAdminSite` the default ``admin.site``. Every model admin registered with it, and
each of its inlines, gets :class:`HardenedAdminMixin` in front of its bases, so a new admin page is
covered when it is born:

- the autocomplete view refuses (403) a field that is not a forward relation, as it refuses an
  unknown field, instead of failing on a reverse relation such as ``region.municipalities``;
- a changelist whose date filter, search or other parameters cannot be applied (a year beyond
  9999, a search of thousands of characters, a NUL character) goes back to the unfiltered list
  with the admin's own note that the filter was wrong (``?e=1``), as for any other bad filter;
- an autocomplete foreign key given a value that is no key (``point=abc``, a number beyond the
  database's integers) shows the form again with "Select a valid choice", not a server error.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from asiointi.core.forms import BoundedModelMultipleChoiceField

#: The longest search a changelist or an autocomplete runs. Longer searches find nothing anyone
#: typed, and SQLite refuses LIKE patterns of 50,000 bytes.
SEARCH_TERM_MAX_LENGTH = 200


def _unusable_text(value: str) -> bool:
    """Text that no search or filter can use: too long, or with a NUL (which PostgreSQL refuses)."""
    return len(value) > SEARCH_TERM_MAX_LENGTH or "\x00" in value


class _ValidChoicesOnlyMixin:
    """An autocomplete widget that, when the form is shown again after an error, looks up only the
    submitted values that are keys of a row (Django's widget passes ``abc`` to the database)."""

    choices: Any

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        field = self.choices.field
        usable = []
        for item in value:
            if str(item) in field.empty_values:
                continue
            try:
                field.to_python(item)
            except ValidationError:
                continue
            usable.append(item)
        return super().optgroups(name, usable, attr)  # type: ignore[misc]


class SafeAutocompleteSelect(_ValidChoicesOnlyMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidChoicesOnlyMixin, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteJsonView(AutocompleteJsonView):
    """Refuses (403) fields that are not forward relations and searches no one could have typed."""

    def process_request(self, request: HttpRequest) -> Any:
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if not (source_field.concrete and source_field.is_relation):
            raise PermissionDenied
        return term, model_admin, source_field, to_field_name

    def get_queryset(self) -> QuerySet[Any]:
        if _unusable_text(self.term):
            return self.model_admin.get_queryset(self.request).none()
        return super().get_queryset()


class HardenedChangeList(ChangeList):
    """A changelist that treats every parameter it cannot apply as a wrong filter (``?e=1``)."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        if any(_unusable_text(value) for values in request.GET.lists() for value in values[1]):
            raise IncorrectLookupParameters("A parameter is too long or holds a NUL character.")
        super().__init__(request, *args, **kwargs)

    def get_filters(self, request: HttpRequest) -> Any:
        # The date hierarchy builds dates from the numbers given: a year of 20 digits overflows,
        # and the year 9999 has no end within Python's dates.
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


@functools.cache
def _hardened_changelist(changelist: type[ChangeList]) -> type[ChangeList]:
    if issubclass(changelist, HardenedChangeList):
        return changelist
    return type(changelist.__name__, (HardenedChangeList, changelist), {})


class HardenedAdminMixin:
    """Put in front of every model admin and inline by :class:`AsiointiAdminSite`."""

    admin_site: admin.AdminSite

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        changelist: type[ChangeList] = super().get_changelist(request, **kwargs)  # type: ignore[misc]
        return _hardened_changelist(changelist)  # type: ignore[arg-type]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        if _unusable_text(search_term):
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]

    def get_inlines(self, request: HttpRequest, obj: models.Model | None) -> Any:
        return [hardened(inline) for inline in super().get_inlines(request, obj)]  # type: ignore[misc]


@functools.cache
def hardened[T: type[Any]](admin_class: T) -> T:
    """``admin_class`` with :class:`HardenedAdminMixin` in front of its bases (once)."""
    if issubclass(admin_class, HardenedAdminMixin):
        return admin_class
    return type(  # type: ignore[return-value]
        admin_class.__name__,
        (HardenedAdminMixin, admin_class),
        {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
    )


class AsiointiAdminSite(admin.AdminSite):
    """Django's admin site, with every model admin and inline hardened (see the module)."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        super().register(model_or_iterable, hardened(admin_class or admin.ModelAdmin), **options)

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        return SafeAutocompleteJsonView.as_view(admin_site=self)(request)  # type: ignore[return-value]


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin.AsiointiAdminSite"
