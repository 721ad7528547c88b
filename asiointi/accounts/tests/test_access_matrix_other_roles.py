"""The access matrix's walk over every route, asked as the other half of the roles (the first half and
the helpers: test_access_matrix.py). A module of its own so that a parallel run shares the walk
between two workers."""

from __future__ import annotations

from typing import Any

import pytest

from asiointi.accounts.tests.test_access_matrix import (
    OTHER_ROLES,
    assert_every_route_answers_as_the_table_says,
    load_matrix_demo,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(db: Any, settings: Any) -> None:
    load_matrix_demo(settings)


def test_access_matrix__every_route_and_other_roles__answers_as_the_table_says(demo: None) -> None:
    assert_every_route_answers_as_the_table_says(OTHER_ROLES)
