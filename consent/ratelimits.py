"""Rate limits that hold behind a proxy and across workers (issue 10, point 12).

- The client's address comes from the header a trusted proxy sets (TRUSTED_PROXY_HEADER,
  from the RATELIMIT_IP_META_KEY or TRUSTED_PROXY_HEADER environment variable), so people
  behind one nginx are not counted as one.
- Counters live in the "ratelimit" cache, the database by default: every gunicorn worker
  counts together, and withdrawal's cache.clear() of the default cache leaves them alone.
- Withdrawal counts only failures and checks the code first: a valid code always works, so
  nobody's flood can lock a contributor out of taking their own story back."""

import ipaddress
import logging

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)


def meta_key(header):
    """ "X-Real-IP" or "HTTP_X_REAL_IP" -> "HTTP_X_REAL_IP" (how Django names headers)."""
    key = (header or "").strip().upper().replace("-", "_")
    if not key or key == "REMOTE_ADDR" or key.startswith("HTTP_"):
        return key
    return f"HTTP_{key}"


def client_ip(request):
    """The client's address (django-ratelimit's RATELIMIT_IP_META_KEY calls this)."""
    header = meta_key(getattr(settings, "TRUSTED_PROXY_HEADER", ""))
    if header:
        # X-Forwarded-For lists every hop; the last is the one our own proxy added.
        candidate = request.META.get(header, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            logger.warning("rate limits: no client address in %s; is the proxy setting it?", header)
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a key, not a bind


def count_failure(request, group, rate):
    """Count one failed attempt from this client; True once they are over `rate`."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)


class SharedCounterCache(DatabaseCache):
    """Django's database cache with an increment that holds under concurrent workers: the
    read and the write happen in one transaction that locks the row (PostgreSQL) or the
    database (SQLite's IMMEDIATE transactions, see settings), so no failure goes uncounted."""

    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        with transaction.atomic(using=db):
            connection = connections[db]
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    # S608: the table is the cache's own, quoted; the key is a bound parameter.
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)


def too_many_requests(request):
    """The page for a limited request: plain words, status 429."""
    return render(request, "consent/too_many.html", status=429)
