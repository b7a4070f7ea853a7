"""One fixture runs every search test on each backend: the database backend (SQLite or
PostgreSQL, whichever DATABASE_URL says) and a real search engine node, reached through the
Wagtail backend SEARCH_BACKEND names: OpenSearch 2.19.6 for opensearch3 (the default), or
Elasticsearch 7.10.2 for elasticsearch7. The engine's test id is its name ("opensearch" or
"elasticsearch").

The node is SEARCH_URL when set (scripts/test.d/30-opensearch.sh and 35-elasticsearch.sh start
one); otherwise this session starts its own with scripts/engine.sh (ENGINE follows
SEARCH_BACKEND) on a free port and stops it at the end. No Java or no node: the test fails
under CI=true (tests/conftest.py require_part)."""

import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path
from urllib.request import urlopen

import pytest

from config.settings.base import SEARCH_BACKEND, search_backends
from tests.conftest import require_part

ROOT = Path(__file__).resolve().parents[2]
# scripts/engine.sh's ENGINE for the configured Wagtail backend (elasticsearch7 -> elasticsearch).
ENGINE = "elasticsearch" if SEARCH_BACKEND.startswith("elasticsearch") else "opensearch"
if os.environ.get("ENGINE", ENGINE) != ENGINE:
    raise pytest.UsageError(
        f"ENGINE={os.environ['ENGINE']} does not match SEARCH_BACKEND={SEARCH_BACKEND}; "
        "set SEARCH_BACKEND=elasticsearch7 for ENGINE=elasticsearch"
    )
BACKENDS = ["database", ENGINE]


def pytest_configure(config):
    # modelsearch 1.3.2 checks that an index exists with a positional argument, which the
    # elasticsearch 7.17 client warns about (a change for its 8.0) on every test: upstream's
    # to fix, and harmless with the 7.x client that the elasticsearch7 backend uses.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Using positional arguments for APIs is deprecated:DeprecationWarning:"
        "modelsearch.backends.elasticsearchbase",
    )


def _answers(url):
    try:
        with urlopen(f"{url}/_cluster/health", timeout=2) as response:  # noqa: S310 - our engine on loopback
            return response.status == 200
    except OSError:
        return False


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def engine_url():
    url = os.environ.get("SEARCH_URL", "").rstrip("/")
    if url:
        require_part(_answers(url), f"the search engine at SEARCH_URL={url}")
        yield url
        return
    require_part(
        shutil.which("java") and shutil.which("mvn"), "Java 17 and Maven (the search engine)"
    )
    port = _free_port()
    home = ROOT / "var" / f"engine-test-{port}"
    env = {
        **os.environ,
        "ENGINE": ENGINE,
        "ENGINE_PORT": str(port),
        "ENGINE_HOME": str(home),
        "ENGINE_HEAP": "512m",
    }
    started = subprocess.run(
        [str(ROOT / "scripts" / "engine.sh"), "start"], env=env, capture_output=True, text=True
    )
    require_part(started.returncode == 0, f"the search engine, {ENGINE} ({started.stdout[-500:]})")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run([str(ROOT / "scripts" / "engine.sh"), "stop"], env=env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def engine_prefix(engine_url):
    """One set of indexes per test session, emptied after each test (creating them per test
    costs more than the tests)."""
    prefix = f"test_{uuid.uuid4().hex[:8]}_"
    yield prefix
    _client(engine_url).indices.delete(index=f"{prefix}*", ignore_unavailable=True)


def _client(url):
    """The configured Wagtail backend's own client: opensearch-py or elasticsearch-py."""
    from wagtail.search.backends import get_search_backend

    params = search_backends(url)["default"]
    return get_search_backend(params.pop("BACKEND"), **params).es


@pytest.fixture(params=BACKENDS)
def search_backend(request, settings):
    """Point every search at one backend for this test; yields its name."""
    if request.param == ENGINE:
        url = request.getfixturevalue("engine_url")
        prefix = request.getfixturevalue("engine_prefix")
        settings.WAGTAILSEARCH_BACKENDS = search_backends(url, prefix=prefix)
        from search.indexing import prepare_indexes

        prepare_indexes()
        yield request.param
        _client(url).delete_by_query(
            index=f"{prefix}*",
            body={"query": {"match_all": {}}},
            refresh=True,
            conflicts="proceed",
        )
    else:
        settings.WAGTAILSEARCH_BACKENDS = search_backends("")
        yield request.param


@pytest.fixture
def refresh(search_backend):
    """Apply waiting index updates and make them visible to searches (engines refresh
    about once a second on their own)."""

    def run():
        from wagtail.search.backends import get_search_backend

        from search.indexing import apply_pending

        applied, failed = apply_pending()
        assert failed == 0, "an index update failed"
        get_search_backend().refresh_indexes()

    return run
