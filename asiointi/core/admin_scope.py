"""Role-scoped Django admin: which rows each role sees in the admin and what it may do with them.

The roles of staff (:class:`asiointi.core.scope.Role`, held through ``asiointi.accounts``' memberships) decide, not Django's model permissions.
Each model admin declares its :class:`Grant` rows: a role, the actions it allows, and how far they
reach ("all" rows, the rows of the user's own "point" for that role, or of their own "agency").
A user with several memberships gets the union of their grants; administrators (superusers and
holders of the administrator role) may do everything the admin allows for administrators.

Querysets, per-object permissions, the admin index and the choices of foreign keys all follow the
same grants, so a row outside the user's scope is neither listed, nor shown (404), nor offered as a
choice, nor changed by a crafted POST.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any, ClassVar, Literal

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField, ModelForm
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from .scope import Role, Scope, user_scope

type Reach = Literal["all", "point", "agency"]

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"

READ_ONLY: frozenset[str] = frozenset({VIEW})
EDIT: frozenset[str] = frozenset({VIEW, CHANGE})
MANAGE: frozenset[str] = frozenset({VIEW, ADD, CHANGE, DELETE})

OUT_OF_SCOPE_MESSAGE = _(
    "You can only save this for the service points and agencies where your role allows it. "
    "Choose one of your own."
)

#: Every role that may enter the admin at all; interpreters have nothing there.
ADMIN_ROLES: tuple[str, ...] = tuple(r for r in Role.values if r != Role.INTERPRETER)


@dataclass(frozen=True)
class Grant:
    """``role`` may do ``actions`` on the rows within ``reach``."""

    role: str
    actions: frozenset[str]
    reach: Reach = "all"


def may_enter_admin(request: HttpRequest) -> bool:
    """The administration's door: an active member of staff who holds a role there (interpreters
    have nothing in it), or a superuser. Others are sent to sign in as someone else."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    scope = user_scope(user=user)  # type: ignore[arg-type]
    return scope.is_administrator or bool(scope.roles.intersection(ADMIN_ROLES))


def view_for_everyone() -> tuple[Grant, ...]:
    """Read access for every role that may enter the admin (reference data such as municipalities)."""
    return tuple(Grant(role, READ_ONLY) for role in ADMIN_ROLES if role != Role.ADMINISTRATOR)


def _attr(obj: models.Model, path: str) -> Any:
    """Follow a dotted attribute path ("service.agency_id") from ``obj``."""
    return reduce(getattr, path.split("."), obj)


class ScopedAdminMixin:
    """Mix into a ``ModelAdmin`` (before it in the bases) to scope it by role.

    ``point_attr`` and ``agency_attr`` are dotted attribute paths from the model to the id of its
    service point and its agency ("point_id", "service.agency_id", "pk"); the ORM lookups are derived
    from them. ``administrator_actions`` limits even administrators (the ledger is read-only).
    """

    model: type[models.Model]
    grants: ClassVar[tuple[Grant, ...]] = ()
    point_attr: ClassVar[str | None] = None
    agency_attr: ClassVar[str | None] = None
    administrator_actions: ClassVar[frozenset[str]] = MANAGE

    # -- the user's grants -------------------------------------------------------------------

    @staticmethod
    def scope(request: HttpRequest) -> Scope:
        return user_scope(user=request.user)  # type: ignore[arg-type]

    def _attr_for(self, reach: Reach) -> str | None:
        return {"point": self.point_attr, "agency": self.agency_attr}.get(reach)

    def _ids(self, scope: Scope, grant: Grant) -> frozenset[int]:
        if grant.reach == "point":
            return scope.points_for(grant.role)
        if grant.reach == "agency":
            return scope.agencies_for(grant.role)
        return frozenset()

    def _grants(self, request: HttpRequest, action: str) -> list[Grant]:
        """The user's grants that allow ``action`` somewhere (an empty reach does not count)."""
        scope = self.scope(request)
        found = []
        for grant in self.grants:
            if grant.role not in scope.roles or action not in grant.actions:
                continue
            if grant.reach != "all" and (self._attr_for(grant.reach) is None or not self._ids(scope, grant)):
                continue
            found.append(grant)
        return found

    def may(self, request: HttpRequest, action: str) -> bool:
        """Whether the user may do ``action`` on some rows of this model."""
        if not request.user.is_active or not request.user.is_staff:
            return False
        if self.scope(request).is_administrator:
            return action in self.administrator_actions
        return bool(self._grants(request, action))

    def may_on(self, request: HttpRequest, action: str, obj: models.Model) -> bool:
        """Whether the user may do ``action`` on the row ``obj``."""
        if not self.may(request, action):
            return False
        scope = self.scope(request)
        if scope.is_administrator:
            return True
        for grant in self._grants(request, action):
            if grant.reach == "all":
                return True
            path = self._attr_for(grant.reach)
            if path is not None and _attr(obj, path) in self._ids(scope, grant):
                return True
        return False

    def scope_filter(self, request: HttpRequest, action: str) -> Q | None:
        """A filter of the rows on which the user may do ``action``; None for every row."""
        if not self.may(request, action):
            return Q(pk__in=[])
        scope = self.scope(request)
        if scope.is_administrator:
            return None
        conditions: list[Q] = []
        for grant in self._grants(request, action):
            if grant.reach == "all":
                return None
            path = self._attr_for(grant.reach)
            if path is None:  # _grants() keeps only reaches with a path
                raise ImproperlyConfigured(f"{type(self).__name__}: no path for the reach {grant.reach!r}")
            conditions.append(Q(**{f"{path.replace('.', '__')}__in": sorted(self._ids(scope, grant))}))
        return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])

    # -- ModelAdmin hooks ----------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        condition = self.scope_filter(request, VIEW)
        return queryset if condition is None else queryset.filter(condition)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        """Outside the user's scope a row does not exist: 404, the same as a missing row, so the
        admin neither shows it nor accepts a POST to it."""
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None and not self.scope(request).is_administrator:
            raise Http404
        return obj

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may(request, VIEW)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return self.may(request, VIEW) or self.may(request, CHANGE)
        return self.may_on(request, VIEW, obj) or self.may_on(request, CHANGE, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.may(request, ADD)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.may(request, CHANGE) if obj is None else self.may_on(request, CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.may(request, DELETE) if obj is None else self.may_on(request, DELETE, obj)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        """Offer as the point (or agency) of a row only those where the user may add or change rows."""
        field: ModelChoiceField[Any] | None = super().formfield_for_foreignkey(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        if field is None:
            return None
        for reach in ("point", "agency"):
            path = self._attr_for(reach)
            if path is None:
                continue
            first, *rest = path.split(".")
            if first.removesuffix("_id") != db_field.name:
                continue
            ids = self._editable_ids(request, reach)
            if ids is not None:
                lookup = "__".join(rest) if rest else "pk"
                field.queryset = field.queryset.filter(**{f"{lookup}__in": sorted(ids)})  # type: ignore[union-attr]
        return field

    def _editable_ids(self, request: HttpRequest, reach: Reach) -> frozenset[int] | None:
        """The point or agency ids where the user may add or change rows; None for no limit.

        The choices are narrowed only when every grant that lets the user edit reaches this far;
        otherwise the row's other field decides, and :meth:`get_form` checks the saved row."""
        scope = self.scope(request)
        if scope.is_administrator:
            return None
        ids: set[int] = set()
        for action in (ADD, CHANGE):
            for grant in self._grants(request, action):
                if grant.reach != reach:
                    return None
                ids |= self._ids(scope, grant)
        return frozenset(ids)

    def get_form(
        self, request: HttpRequest, obj: models.Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Any]]:
        """The admin's form, which refuses to save a row outside the user's scope (e.g. a point
        manager moving a row to a point they do not manage)."""
        form_class: type[ModelForm[Any]] = super().get_form(  # type: ignore[misc]
            request, obj, change=change, **kwargs
        )
        if self.scope(request).is_administrator:
            return form_class
        model_admin = self
        action = CHANGE if obj is not None else ADD

        class ScopedForm(form_class):  # type: ignore[valid-type,misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                if not self._errors and not model_admin.may_on(request, action, self.instance):
                    self.add_error(None, ValidationError(OUT_OF_SCOPE_MESSAGE, code="out_of_scope"))

        ScopedForm.__name__ = form_class.__name__
        return ScopedForm


class ScopedInlineMixin(ScopedAdminMixin):
    """Mix into an inline (before it in the bases). Django passes an inline's permission checks the
    *parent* object, so ``parent_reach`` says what the parent is: a service point or an agency."""

    parent_reach: ClassVar[Reach] = "point"

    def _may_in_parent(self, request: HttpRequest, action: str, parent: models.Model | None) -> bool:
        if not self.may(request, action):
            return False
        if parent is None or self.scope(request).is_administrator:
            return True
        scope = self.scope(request)
        for grant in self._grants(request, action):
            if grant.reach == "all":
                return True
            if grant.reach == self.parent_reach and parent.pk in self._ids(scope, grant):
                return True
        return False

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may_in_parent(request, VIEW, obj) or self._may_in_parent(request, CHANGE, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may_in_parent(request, ADD, args[0] if args else None)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may_in_parent(request, CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may_in_parent(request, DELETE, obj)
