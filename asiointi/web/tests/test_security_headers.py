import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from asiointi.web.middleware import PermissionsPolicyMiddleware, permissions_policy

PAGES = [
    "/fi/",
    "/sv/points/",
    "/en/agencies/",
    "/fi/accounts/login/",
    "/fi/admin/login/",
    "/fi/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_response__carries_a_strict_content_security_policy(client, db, path):
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize("path", PAGES)
def test_every_response__turns_camera_and_microphone_off(client, db, path):
    response = client.get(path)

    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_permissions_policy__a_view_that_needs_the_camera__allows_it_for_itself_only():
    @permissions_policy(camera=["self"], microphone=["self"])
    def meeting(request):
        return HttpResponse("ok")

    response = PermissionsPolicyMiddleware(meeting)(RequestFactory().get("/"))

    assert "camera=(self)" in response["Permissions-Policy"]
    assert "microphone=(self)" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
