"""The browser tests' live server between tests: a request that arrives after a test has
closed its browser (a page's last beacon) is answered by the gate, and never reaches a
database that pytest-django has already closed to queries."""

import threading
from http.client import HTTPConnection
from urllib.parse import urlsplit

from tests.browser.support import BROWSER, live_server_gate

pytestmark = BROWSER


def status_of(url):
    address = urlsplit(url)
    connection = HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", address.path or "/")
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_request_after_the_test_closed_the_gate_is_answered_without_the_site(page, live_server):
    assert page.goto("/").status == 200
    gate = live_server_gate(live_server)
    gate.close()
    try:
        assert status_of(live_server.url + "/") == 503
    finally:
        gate.open()
    assert status_of(live_server.url + "/") == 200


def test_closing_waits_for_a_request_already_inside(page, live_server):
    gate = live_server_gate(live_server)
    entered, release = threading.Event(), threading.Event()
    inner = gate.app

    def slow_app(environ, start_response):
        entered.set()
        release.wait(10)
        return inner(environ, start_response)

    gate.app = slow_app
    try:
        answered = []
        request = threading.Thread(target=lambda: answered.append(status_of(live_server.url)))
        request.start()
        assert entered.wait(10)
        closing = threading.Thread(target=gate.close)
        closing.start()
        closing.join(0.3)
        assert closing.is_alive(), "the gate closed while a request was still inside"
        release.set()
        closing.join(10)
        request.join(10)
        assert answered == [200]
    finally:
        gate.app = inner
        gate.open()
