"""The apps' addresses.

- The id in them (`<id:pk>`): digits a database id can hold. Django's `<int:>` takes any
  number of digits, and an id too large for the database's integer (SQLite and PostgreSQL
  hold 8 bytes) raised an error in the query, a server error where a person who mistyped
  or tampered with an address should see "not found".
- The site's own address in front of a path, for links that leave the site (e-mails)."""

from django.conf import settings
from django.urls import register_converter


def site_url(path: str) -> str:
    """The full address of `path` on this site, from settings.SITE_URL (not from a request:
    an e-mail sent by the worker has none, and a proxy's host name is not the site's)."""
    return f"{settings.SITE_URL}{path}"


class IdConverter:
    regex = "[0-9]{1,18}"  # below 2**63 whatever the digits

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
