"""The id in the apps' addresses (`<id:pk>`): digits a database id can hold. Django's `<int:>`
takes any number of digits, and an id too large for the database's integer (SQLite and
PostgreSQL hold 8 bytes) raised an error in the query, a server error where a person who
mistyped or tampered with an address should see "not found"."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"  # below 2**63 whatever the digits

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
