from __future__ import annotations

from typing import Any

import pytest

from asiointi.catalogue.models import Service
from asiointi.factories import ServiceFactory, ServiceOfferingFactory
from asiointi.network.models import Agency, ServicePoint


@pytest.fixture
def kela_service(point_a: ServicePoint, kela: Agency) -> Service:
    service = ServiceFactory.create(agency=kela, name_fi="Asumistuki", name_en="Housing allowance")
    ServiceOfferingFactory.create(point=point_a, service=service)
    return service


@pytest.fixture
def vero_service(point_a: ServicePoint, vero: Agency) -> Service:
    service = ServiceFactory.create(agency=vero, name_fi="Verokortti", name_en="Tax card")
    ServiceOfferingFactory.create(point=point_a, service=service)
    return service


@pytest.fixture
def callback_data(point_a: ServicePoint, kela: Agency) -> Any:
    from asiointi.desk.services import CallbackData

    def make(**changes: Any) -> CallbackData:
        fields: dict[str, Any] = {
            "point": point_a,
            "agency": kela,
            "customer_name": "Matti Meikäläinen",
            "customer_phone": "040 123 4567",
            "language": "fi",
            "topic": "Asumistuen tarkistus",
            "preferred_times": "aamupäivisin",
            "consent": True,
        }
        fields.update(changes)
        return CallbackData(**fields)

    return make
