"""Fixtures for reuse: trainers, report writers and what they make."""

# --- reports

import pytest


@pytest.fixture
def report_writer(django_user_model):
    """A member of the "Report writers" group (consent migration 0002)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("writer", password="x")
    user.groups.add(Group.objects.get(name="Report writers"))
    return user
