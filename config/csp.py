"""A Content-Security-Policy on every response (issue 10, point 13).

Public pages run only the archive's own script files: no inline script, no eval, no plugin
(object-src 'none'), no framing (frame-ancestors 'none'), no other origin. The player's
media comes from 'self' (and blob:, which browsers use for media they assemble). A template
that must have an inline script gives it nonce="{{ request.csp_nonce }}": the nonce is made
only when a template asks for it, and only then added to that response's script-src.

Wagtail's admin writes inline scripts from its own widgets (date choosers, inline panels,
workflow actions) with no way to give them a nonce (wagtail/wagtail#1288, #7053): its page
editor ran 10 of them when tried under script-src 'self'. So under the admin's prefix, and
only there, script-src also allows 'unsafe-inline' (no nonce there: a nonce would make
browsers ignore it); every other directive, styles included, is as strict as on public
pages, and the admin's dashboard and page editor run under it with no violation."""

import secrets

from django.conf import settings
from django.utils.functional import SimpleLazyObject

HEADER = "Content-Security-Policy"


def _directives(request) -> dict[str, str]:
    policy = dict(settings.CONTENT_SECURITY_POLICY)
    if request.path.startswith(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIX):
        policy.update(settings.CONTENT_SECURITY_POLICY_ADMIN)
    elif request.csp_nonce_used:
        policy["script-src"] += f" 'nonce-{request.csp_nonce}'"
    return policy


def header_value(request) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in _directives(request).items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce_used = False

        def make_nonce():
            request.csp_nonce_used = True
            return secrets.token_urlsafe(18)

        request.csp_nonce = SimpleLazyObject(make_nonce)
        response = self.get_response(request)
        # Set, not defaulted: the admin's page preview renders the public page through
        # this middleware for a made-up request, and its header must not be the one kept.
        response[HEADER] = header_value(request)
        return response
