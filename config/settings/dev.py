from .base import *  # noqa: F403 - settings start from every base setting
from .base import env, env_bool

DEBUG = env_bool("DEBUG", True)
# A development-only key; production refuses to start without SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
