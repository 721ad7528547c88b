"""The accounts' operations of the API (docs/api.md): who the caller is. Staff only, by session or
by a personal API token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from asiointi.core.api import error_responses

from . import selectors
from .models import Role, User

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: Role
    point: str | None = None
    agency: str | None = None


class MeOut(Schema):
    email: str
    full_name: str
    language: str
    is_administrator: bool
    memberships: list[MembershipOut]


@router.get("/me", response={200: MeOut, **error_responses(401, 403)}, url_name="me", summary="Who am I")
def me(request: HttpRequest) -> dict[str, object]:
    """Staff: every role, their own account. The signed-in user or the token's holder, with their
    roles and where they hold them."""
    user: User = request.auth  # type: ignore[attr-defined]
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "is_administrator": selectors.user_scope(user=user).is_administrator,
        "memberships": [
            {
                "role": m.role,
                "point": m.point.slug if m.point else None,
                "agency": m.agency.code if m.agency else None,
            }
            for m in selectors.user_memberships(user=user)
        ],
    }
