"""Issue 10, point 13: every response carries a strict Content-Security-Policy; only the
Wagtail admin's prefix allows inline script (its widgets write it), and production has it."""

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from config.csp import ContentSecurityPolicyMiddleware
from tests.test_deploy import run_manage

pytestmark = pytest.mark.django_db


def directives(response):
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize(
    "url", ["/", "/stories/", "/search/?q=ferry", "/contribute/", "/no-such-page/"]
)
def test_public_pages_send_a_strict_policy(client, url):
    policy = directives(client.get(url))
    assert policy["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["media-src"] == "'self' blob:"
    assert "'unsafe-inline'" not in policy["style-src"]


def test_only_the_admin_allows_inline_script_and_keeps_the_rest_strict(client):
    policy = directives(client.get("/admin/login/"))
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'self'"
    assert policy["connect-src"] == "'self'" and policy["style-src"] == "'self'"


def test_a_template_that_asks_for_a_nonce_gets_one_in_its_own_header():
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    middleware = ContentSecurityPolicyMiddleware(view)
    first, second = (middleware(RequestFactory().get("/")) for _ in range(2))
    nonce = first.content.decode().split('nonce="')[1].split('"')[0]
    assert directives(first)["script-src"] == f"'self' 'nonce-{nonce}'"
    assert nonce not in second.content.decode()  # a fresh one each response
    plain = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("no script"))
    assert directives(plain(RequestFactory().get("/")))["script-src"] == "'self'"


def test_production_settings_send_the_policy():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print('config.csp.ContentSecurityPolicyMiddleware' in settings.MIDDLEWARE, "
        "settings.CONTENT_SECURITY_POLICY['script-src'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True 'self'"
