"""Create the development superuser a first-time visitor logs in with, once, and a trainer
and a report writer (the Trainers and Report writers groups) to try reuse as they would.

`make run` calls this. The password is random, kept in var/dev-admin-password (git-ignored)
so later runs print the same one. It refuses to run with DEBUG off: a production archive
holds people's stories of racism and must never have a well-known account."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
# Development accounts in each reuse role, with the same password as the superuser.
ROLE_ACCOUNTS = {"trainer": "Trainers", "writer": "Report writers"}


class Command(BaseCommand):
    help = (
        "Create the development superuser 'admin' (and 'trainer' and 'writer') if missing "
        "and print its password."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin is for development only (DEBUG is off).")
        password_file = settings.BASE_DIR / "var" / "dev-admin-password"
        known = password_file.exists()
        password = self._password(password_file)
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME,
            defaults={"email": "admin@localhost", "is_staff": True, "is_superuser": True},
        )
        if created or not known:
            user.set_password(password)
            user.save()
        for username, group in ROLE_ACCOUNTS.items():
            self._role_account(username, group, password, reset=not known)
        self.stdout.write(f"{USERNAME} {password}")

    @staticmethod
    def _role_account(username, group_name, password, reset):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        if created or reset:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))

    @staticmethod
    def _password(path):
        if path.exists():
            return path.read_text().strip()
        password = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(password + "\n")
        return password
