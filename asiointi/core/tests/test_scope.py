import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from asiointi.accounts import selectors as accounts
from asiointi.core import scope
from asiointi.core.scope import EMPTY_SCOPE, Role


@pytest.mark.django_db
def test_user_scope__accounts_installed__answers_with_the_memberships(staff_user):
    planner = staff_user(Role.NETWORK_PLANNER)

    found = scope.user_scope(user=planner)

    assert found == accounts.user_scope(user=planner)
    assert found.roles == {Role.NETWORK_PLANNER}
    assert scope.user_scope(user=AnonymousUser()) is EMPTY_SCOPE


def test_user_scope__no_source_registered__says_what_is_missing(monkeypatch):
    monkeypatch.setattr(scope, "_sources", [])

    with pytest.raises(ImproperlyConfigured, match=r"asiointi\.accounts"):
        scope.user_scope(user=AnonymousUser())
