"""Search backends chosen by settings (see config/settings/base.py, WAGTAILSEARCH_BACKENDS)."""
